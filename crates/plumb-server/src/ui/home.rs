//! `/` and `/settings`: nothing of their own yet, so they send people to the API keys page (the
//! page guard has already sent anyone without a session to the sign-in page).

use axum::response::Response;

use super::{HOME, see_other};
use crate::auth::session::SignedIn;

/// `GET /`
pub async fn home(_signed_in: SignedIn) -> Response {
    see_other(HOME)
}

/// `GET /settings`
pub async fn settings(_signed_in: SignedIn) -> Response {
    see_other(HOME)
}
