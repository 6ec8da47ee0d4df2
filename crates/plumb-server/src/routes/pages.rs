//! Health checks and the web UI's pages and assets.

use axum::http::Method as M;

use super::Guard::{Page, Public};
use super::{Route, route};
use crate::health;
use crate::ui::{self, assets};

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![
        route(M::GET, "/healthz", Public, health::healthz),
        route(M::GET, "/readyz", Public, health::readyz),
        route(M::GET, "/login", Public, ui::login::login_page),
        route(M::GET, "/static/{file}", Public, assets::serve_asset),
        route(M::GET, "/", Page, ui::home::home),
        route(M::GET, "/settings", Page, ui::home::settings),
        route(M::GET, "/devices", Page, ui::devices::devices_page),
        route(M::GET, "/devices/{id}", Page, ui::devices::device_page),
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
    ]
}
