//! Health checks and the web UI's pages and assets.

use axum::http::Method as M;

use super::Guard::{Page, Public};
use super::{Row, row};
use crate::downloads::pages as downloads;
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
        // Agent binaries and their installer, fetched by devices before they hold a credential.
        row(M::GET, "/downloads", Public, downloads::downloads_redirect),
        row(M::GET, "/downloads/", Public, downloads::downloads_page),
        row(
            M::GET,
            "/downloads/SHA256SUMS",
            Public,
            downloads::checksums,
        ),
        row(
            M::GET,
            "/downloads/install.sh",
            Public,
            downloads::install_script,
        ),
        row(M::GET, "/downloads/{file}", Public, downloads::download),
        row(M::GET, "/", Page, ui::home::home),
        row(M::GET, "/settings", Page, ui::home::settings),
        row(M::GET, "/devices", Page, ui::devices::devices_page),
        row(M::GET, "/devices/{id}", Page, ui::devices::device_page),
        row(M::GET, "/groups", Page, ui::groups::groups_page),
        row(M::GET, "/alerts", Page, ui::alerts::alerts_page),
        row(
            M::GET,
            "/automations",
            Page,
            ui::automations::automations_page,
        ),
        row(
            M::GET,
            "/automations/new",
            Page,
            ui::automations::new_automation_page,
        ),
        row(
            M::GET,
            "/automations/{id}",
            Page,
            ui::automations::automation_page,
        ),
        row(
            M::GET,
            "/settings/api-keys",
            Page,
            ui::api_keys::api_keys_page,
        ),
        row(
            M::GET,
            "/settings/install-keys",
            Page,
            ui::install_keys::install_keys_page,
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
