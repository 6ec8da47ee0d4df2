//! The one route table: every route, its method and the guard in front of it.
//!
//! [`table`] is data as well as wiring: a test walks it and checks that every route not marked
//! [`Guard::Public`] refuses a request without credentials (401 on the APIs, a redirect to the
//! sign-in page for web pages).

use std::sync::LazyLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::{v1, v2};
use crate::auth::api_key::require_api_key;
use crate::auth::page::require_page_session;
use crate::auth::session::require_session;
use crate::error::ApiError;
use crate::extract::BODY_LIMIT;
use crate::state::AppState;
use crate::ui::assets::{self, ASSETS};
use crate::ui::{self, problem};
use crate::{health, telemetry};

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

fn route<H, T>(method: Method, path: &'static str, guard: Guard, handler: H) -> Route
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
    use Guard::{ApiKey, Page, Public, Session};
    use Method as M;
    vec![
        // Health.
        route(M::GET, "/healthz", Public, health::healthz),
        route(M::GET, "/readyz", Public, health::readyz),
        // Web UI: sign-in, assets, and the pages behind it.
        route(M::GET, "/login", Public, ui::login::login_page),
        route(M::GET, "/static/{file}", Public, assets::serve_asset),
        route(M::GET, "/", Page, ui::home::home),
        route(M::GET, "/settings", Page, ui::home::settings),
        route(
            M::GET,
            "/settings/api-keys",
            Page,
            ui::api_keys::api_keys_page,
        ),
        route(M::GET, "/settings/users", Page, ui::users::users_page),
        route(
            M::GET,
            "/settings/activity",
            Page,
            ui::activity::activity_page,
        ),
        // First run and password links (the token in the body is the credential).
        route(M::GET, "/setup", Public, ui::setup::setup_page),
        route(M::POST, "/setup", Public, ui::setup::submit_setup),
        route(
            M::GET,
            "/set-password",
            Public,
            ui::password::set_password_page,
        ),
        route(
            M::POST,
            "/set-password",
            Public,
            ui::password::submit_set_password,
        ),
        route(M::POST, "/api/v1/setup", Public, v1::setup::complete_setup),
        route(M::POST, "/api/v1/password", Public, v1::setup::set_password),
        // Sessions.
        route(M::POST, "/api/v1/session", Public, v1::session::sign_in),
        route(
            M::GET,
            "/api/v1/session",
            Session,
            v1::session::show_session,
        ),
        route(M::DELETE, "/api/v1/session", Session, v1::session::sign_out),
        // Users (administrators).
        route(M::GET, "/api/v1/users", Session, v1::users::list_users),
        route(M::POST, "/api/v1/users", Session, v1::users::create_user),
        route(
            M::PATCH,
            "/api/v1/users/{id}",
            Session,
            v1::users::update_user,
        ),
        route(
            M::PUT,
            "/api/v1/users/{id}",
            Session,
            v1::users::update_user,
        ),
        // API keys (Settings).
        route(
            M::GET,
            "/api/v1/api-keys",
            Session,
            v1::api_keys::list_api_keys,
        ),
        route(
            M::POST,
            "/api/v1/api-keys",
            Session,
            v1::api_keys::create_api_key,
        ),
        route(
            M::GET,
            "/api/v1/api-keys/{id}",
            Session,
            v1::api_keys::show_api_key,
        ),
        route(
            M::PATCH,
            "/api/v1/api-keys/{id}",
            Session,
            v1::api_keys::update_api_key,
        ),
        route(
            M::PUT,
            "/api/v1/api-keys/{id}",
            Session,
            v1::api_keys::update_api_key,
        ),
        route(
            M::DELETE,
            "/api/v1/api-keys/{id}",
            Session,
            v1::api_keys::delete_api_key,
        ),
        route(
            M::POST,
            "/api/v1/api-keys/{id}/regenerate",
            Session,
            v1::api_keys::regenerate_api_key,
        ),
        route(
            M::POST,
            "/api/v1/api-keys/{id}/reveal",
            Session,
            v1::api_keys::reveal_api_key,
        ),
        // Activity (Settings).
        route(
            M::GET,
            "/api/v1/activity",
            Session,
            v1::activity::list_activity,
        ),
        // Public API: groups.
        route(M::GET, "/v2/groups", ApiKey, v2::groups::list_groups),
        route(M::POST, "/v2/groups", ApiKey, v2::groups::create_group),
        route(M::GET, "/v2/groups/{id}", ApiKey, v2::groups::show_group),
        route(
            M::PATCH,
            "/v2/groups/{id}",
            ApiKey,
            v2::groups::update_group,
        ),
        route(M::PUT, "/v2/groups/{id}", ApiKey, v2::groups::update_group),
        route(
            M::DELETE,
            "/v2/groups/{id}",
            ApiKey,
            v2::groups::delete_group,
        ),
        route(
            M::POST,
            "/v2/groups/{id}/devices",
            ApiKey,
            v2::groups::assign_devices,
        ),
        route(
            M::DELETE,
            "/v2/groups/{id}/devices",
            ApiKey,
            v2::groups::remove_devices,
        ),
    ]
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
    for Route {
        path,
        guard,
        handler,
        ..
    } in table()
    {
        match guard {
            Guard::Public => public = public.route(path, handler),
            Guard::Page => page = page.route(path, handler),
            Guard::Session => session = session.route(path, handler),
            Guard::ApiKey => api_key = api_key.route(path, handler),
        }
    }
    let page = page.route_layer(from_fn_with_state(state.clone(), require_page_session));
    let session = session.route_layer(from_fn_with_state(state.clone(), require_session));
    let api_key = api_key.route_layer(from_fn_with_state(state.clone(), require_api_key));
    Router::new()
        .merge(public)
        .merge(page)
        .merge(session)
        .merge(api_key)
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
