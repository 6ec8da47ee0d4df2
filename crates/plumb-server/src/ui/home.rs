//! `/` and `/settings`: nothing of their own, so they send people on (the page guard has already
//! sent anyone without a session to the sign-in page). `/` leads people with Settings access to
//! the API keys page, as it always has, and everyone else to the devices; `/settings` leads to
//! the API keys page (which explains itself to someone without Settings access).

use axum::response::Response;
use plumb_core::accounts::may_use_settings;

use super::see_other;
use crate::auth::session::SignedIn;

/// The API keys page, first of Settings.
const SETTINGS_HOME: &str = "/settings/api-keys";
/// The device list.
const DEVICES: &str = "/devices";

/// `GET /`
pub async fn home(signed_in: SignedIn) -> Response {
    if may_use_settings(signed_in.user()) {
        see_other(SETTINGS_HOME)
    } else {
        see_other(DEVICES)
    }
}

/// `GET /settings`
pub async fn settings(_signed_in: SignedIn) -> Response {
    see_other(SETTINGS_HOME)
}
