//! Authentication and authorization guards.
//!
//! - [`api_key`]: the `/v2` gate (API key in `Authorization`, read-only keys refused on writes).
//! - [`session`]: the `/api/v1` gate (session cookie, CSRF token on writes) and the extractors
//!   that state a handler's needs in its signature (`SignedIn`, `SettingsUser`, `AdminUser`).
//! - [`page`]: the web UI gate (session cookie; without one, a redirect to the sign-in page).
//! - [`origin`]: writes and sign-ins from plumb's own origin only; `/api/v1` bodies are JSON.
//!
//! No guard ever records a presented credential: spans on these paths skip all fields.

pub mod api_key;
pub mod origin;
pub mod page;
pub mod session;
