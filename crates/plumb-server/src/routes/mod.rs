//! The one route table: every route, its method and the guard in front of it. The rows live
//! in one file per area (`pages`, `v1`, `v2`, `agent`); [`table`] joins them.
//!
//! [`table`] is data as well as wiring: a test walks it and checks that every route not marked
//! [`Guard::Public`] refuses a request without credentials (401 on the APIs, a redirect to the
//! sign-in page for web pages).

mod agent;
mod pages;
mod v1;
mod v2;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::agent::auth::require_device_token;
use crate::auth::api_key::require_api_key;
use crate::auth::page::require_page_session;
use crate::auth::session::require_session;
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

/// One row of the table.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, axum syntax (`/v2/groups/{id}`).
    pub path: &'static str,
    /// Guard.
    pub guard: Guard,
    /// Handler.
    pub handler: MethodRouter<AppState>,
}

pub(crate) fn route<H, T>(method: Method, path: &'static str, guard: Guard, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone())
        .unwrap_or_else(|_| unreachable!("the table uses standard methods only"));
    Route {
        method,
        path,
        guard,
        handler: on(filter, handler),
    }
}

/// Every route plumb serves.
pub fn table() -> Vec<Route> {
    [pages::table(), v1::table(), v2::table(), agent::table()]
        .into_iter()
        .flatten()
        .collect()
}

/// The whole application: the table's routes behind their guards, plus the shared layers
/// (request tracing, body limit, security headers).
pub fn router(state: AppState) -> Router {
    // Hash the assets now rather than on the first page view.
    LazyLock::force(&ASSETS);
    let mut public = Router::new();
    let mut page = Router::new();
    let mut session = Router::new();
    let mut api_key = Router::new();
    let mut device = Router::new();
    for Route {
        path,
        guard,
        handler,
        ..
    } in table()
    {
        match guard {
            Guard::Public | Guard::Token => public = public.route(path, handler),
            Guard::Page => page = page.route(path, handler),
            Guard::Session => session = session.route(path, handler),
            Guard::ApiKey => api_key = api_key.route(path, handler),
            Guard::Device => device = device.route(path, handler),
        }
    }
    let page = page.route_layer(from_fn_with_state(state.clone(), require_page_session));
    let session = session.route_layer(from_fn_with_state(state.clone(), require_session));
    let api_key = api_key.route_layer(from_fn_with_state(state.clone(), require_api_key));
    let device = device.route_layer(from_fn_with_state(state.clone(), require_device_token));
    Router::new()
        .merge(public)
        .merge(page)
        .merge(session)
        .merge(api_key)
        .merge(device)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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
