//! The one route table: every route, its method, its path and the guard in front of it.
//!
//! An API route (`/v2`, `/api/v1`) is declared once, on its handler: `#[utoipa::path]` names its
//! method and path and documents it. One `routes!(handler)` line in `v2.rs` or `v1.rs` registers
//! the handler in the `Guarded` group of its guard, and both the router and the OpenAPI
//! documents (`crate::openapi`) are built from those groups, so an API route is served exactly
//! when it is documented. Web pages (`pages.rs`) and the agent protocol
//! (`agent.rs`), which no OpenAPI document describes, are rows of method, path, guard and
//! handler.
//!
//! [`table`] is data as well as wiring: tests walk it and check that every route not marked
//! [`Guard::Public`] refuses a request without credentials (401 on the APIs, a redirect to the
//! sign-in page for web pages), that another organization's ids are not found, and that
//! read-only keys cannot write.

mod agent;
mod pages;
pub(crate) mod v1;
pub(crate) mod v2;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::PathItem;
use utoipa_axum::router::OpenApiRouter;

use crate::agent::auth::require_device_token;
use crate::auth::api_key::require_api_key;
use crate::auth::origin::check_origin;
use crate::auth::page::require_page_session;
use crate::auth::session::require_session;
use crate::envelope::error_envelope;
use crate::error::ApiError;
use crate::extract::BODY_LIMIT;
use crate::state::AppState;
use crate::telemetry;
use crate::ui::assets::ASSETS;
use crate::ui::{self, problem};

/// What guards a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone (health, sign-in, setup with its one-time token, static assets).
    Public,
    /// A web page for a signed-in person; without a session, `303` to `/login?next=<path>`.
    Page,
    /// A signed-in session; writes also need the CSRF token.
    Session,
    /// An API key; read-only keys may only GET.
    ApiKey,
    /// An agent's device token (`Authorization: Bearer plumbd_...`).
    Device,
    /// The request carries its own credential and the handler checks it before anything else:
    /// an install key in the body (`/agent/v1/enroll`, 401 without a valid one) or a webhook
    /// trigger token in the path (404 for an unknown one, as Level answers).
    Token,
}

/// One route of the table, as tests walk it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, axum syntax (`/v2/groups/{id}`).
    pub path: String,
    /// Guard.
    pub guard: Guard,
}

/// The API routes behind one guard, each registered with `routes!(handler)`: its method, path
/// and documentation come from the handler's `#[utoipa::path]`.
pub(crate) struct Guarded {
    /// The guard in front of every route of the group.
    pub(crate) guard: Guard,
    /// The handlers and their OpenAPI operations.
    pub(crate) routes: OpenApiRouter<AppState>,
}

impl Guarded {
    /// The group's routes, one per documented operation (path order, then method order).
    fn table(&self) -> Vec<Route> {
        let paths = &self.routes.get_openapi().paths.paths;
        paths
            .iter()
            .flat_map(|(path, item)| {
                methods(item).into_iter().map(|method| Route {
                    method,
                    path: path.clone(),
                    guard: self.guard,
                })
            })
            .collect()
    }
}

/// One row of the page and agent tables, which no OpenAPI document describes.
pub(crate) struct Row {
    route: Route,
    handler: MethodRouter<AppState>,
}

pub(crate) fn row<H, T>(method: Method, path: &str, guard: Guard, handler: H) -> Row
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone())
        .unwrap_or_else(|_| unreachable!("the tables use standard methods only"));
    Row {
        route: Route {
            method,
            path: path.to_owned(),
            guard,
        },
        handler: on(filter, handler),
    }
}

/// The API groups: `/api/v1`'s, then `/v2`'s.
fn api() -> Vec<Guarded> {
    v1::groups().into_iter().chain(v2::groups()).collect()
}

/// Every route plumb serves: pages, `/api/v1`, `/v2`, `/agent/v1`.
pub fn table() -> Vec<Route> {
    let pages = pages::table().into_iter().map(|row| row.route);
    let api = api().iter().flat_map(Guarded::table).collect::<Vec<_>>();
    let agent = agent::table().into_iter().map(|row| row.route);
    pages.chain(api).chain(agent).collect()
}

/// The whole application: the table's routes behind their guards, plus the shared layers
/// (request tracing, body limit, security headers).
pub fn router(state: AppState) -> Router {
    // Hash the assets now rather than on the first page view.
    LazyLock::force(&ASSETS);
    let mut guards = ByGuard::default();
    for Row { route, handler } in pages::table().into_iter().chain(agent::table()) {
        guards.add(route.guard, Router::new().route(&route.path, handler));
    }
    for group in api() {
        guards.add(group.guard, group.routes.into());
    }
    guards
        .into_router(&state)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), check_origin))
        .layer(from_fn(error_envelope))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ui::CONTENT_SECURITY_POLICY),
        ))
        .layer(telemetry::trace_layer())
        .with_state(state)
}

/// The routes gathered by guard, so each guard's middleware wraps exactly its routes.
#[derive(Default)]
struct ByGuard {
    public: Router<AppState>,
    page: Router<AppState>,
    session: Router<AppState>,
    api_key: Router<AppState>,
    device: Router<AppState>,
}

impl ByGuard {
    fn add(&mut self, guard: Guard, routes: Router<AppState>) {
        let slot = match guard {
            Guard::Public | Guard::Token => &mut self.public,
            Guard::Page => &mut self.page,
            Guard::Session => &mut self.session,
            Guard::ApiKey => &mut self.api_key,
            Guard::Device => &mut self.device,
        };
        *slot = std::mem::take(slot).merge(routes);
    }

    fn into_router(self, state: &AppState) -> Router<AppState> {
        let page = from_fn_with_state(state.clone(), require_page_session);
        let session = from_fn_with_state(state.clone(), require_session);
        let api_key = from_fn_with_state(state.clone(), require_api_key);
        let device = from_fn_with_state(state.clone(), require_device_token);
        Router::new()
            .merge(self.public)
            .merge(self.page.route_layer(page))
            .merge(self.session.route_layer(session))
            .merge(self.api_key.route_layer(api_key))
            .merge(self.device.route_layer(device))
    }
}

/// The methods a path item has operations for, in the order people read them.
fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
        (Method::HEAD, &item.head),
        (Method::OPTIONS, &item.options),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}

/// Unknown routes: JSON on the APIs (and for clients that do not ask for HTML), a page for
/// browsers everywhere else.
async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let api = ["/api/", "/v2/", "/agent/"]
        .iter()
        .any(|prefix| uri.path().starts_with(prefix));
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !api {
        return problem::not_found();
    }
    ApiError::NotFound("no such route".to_owned()).into_response()
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
