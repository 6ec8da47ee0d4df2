//! Health checks and the web UI's pages and assets.

use axum::http::Method as M;

use super::Guard::{Page, Public};
use super::{Row, row};
use crate::health;
use crate::ui::{self, assets};

/// The rows.
pub(super) fn table() -> Vec<Row> {
    vec![
        row(M::GET, "/healthz", Public, health::healthz),
        row(M::GET, "/readyz", Public, health::readyz),
        row(M::GET, "/login", Public, ui::login::login_page),
        row(M::POST, "/login", Public, ui::login::submit_login),
        row(M::GET, "/static/{file}", Public, assets::serve_asset),
        row(M::GET, "/", Page, ui::home::home),
        row(M::GET, "/settings", Page, ui::home::settings),
        row(M::GET, "/devices", Page, ui::devices::devices_page),
        row(M::GET, "/devices/{id}", Page, ui::devices::device_page),
        row(
            M::GET,
            "/settings/api-keys",
            Page,
            ui::api_keys::api_keys_page,
        ),
        row(M::GET, "/settings/users", Page, ui::users::users_page),
        row(
            M::GET,
            "/settings/webhooks",
            Page,
            ui::webhooks::webhooks_page,
        ),
        row(
            M::GET,
            "/settings/activity",
            Page,
            ui::activity::activity_page,
        ),
        // First run and password links (the token in the body is the credential).
        row(M::GET, "/setup", Public, ui::setup::setup_page),
        row(M::POST, "/setup", Public, ui::setup::submit_setup),
        row(
            M::GET,
            "/set-password",
            Public,
            ui::password::set_password_page,
        ),
        row(
            M::POST,
            "/set-password",
            Public,
            ui::password::submit_set_password,
        ),
    ]
}
