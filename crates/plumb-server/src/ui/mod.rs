//! The web UI: server-rendered askama pages (one module per page) plus our own small ES modules
//! and CSS from `static/`, which call the `/api/v1` JSON API for everything that changes data.
//!
//! Handlers here read the signed-in user from the page guard ([`crate::auth::page`]) and call
//! core functions directly; they never call the API over HTTP and never render a secret. Every
//! page obeys the strict Content-Security-Policy: no inline script, no `style` attribute.

pub mod activity;
pub mod alerts;
pub mod api_keys;
pub mod assets;
pub mod automations;
pub mod devices;
pub mod groups;
pub mod home;
pub mod install_keys;
pub mod login;
pub mod password;
pub mod problem;
pub mod setup;
pub mod users;
pub mod webhooks;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use plumb_core::Role;
use plumb_core::accounts::may_use_settings;
use plumb_core::token;

use crate::auth::session::SignedIn;
use crate::error::ApiError;

/// The Content-Security-Policy of every response: our own resources only, no inline script or
/// style.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Where people land after signing in when no other page was asked for: `/`, which sends
/// each person on to their first page (see [`home`]).
pub const HOME: &str = "/";

/// What the base layout needs: the title and the page's own module, if any.
pub struct PageMeta {
    /// The `<title>` and, on most pages, the heading.
    pub title: &'static str,
    /// The logical name of the page's module in `static/` (`api-keys.js`).
    pub script: Option<&'static str>,
}

/// The navigation entries of the app shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Devices.
    Devices,
    /// Groups.
    Groups,
    /// Alerts.
    Alerts,
    /// Automations (Settings access).
    Automations,
    /// Settings → API keys.
    ApiKeys,
    /// Settings → Install keys.
    InstallKeys,
    /// Settings → Users.
    Users,
    /// Settings → Activity.
    Activity,
    /// Settings → Webhooks.
    Webhooks,
    /// A page outside the navigation (the "you need access" pages).
    None,
}

/// What the app shell shows about the signed-in person, and the CSRF token for the page's calls.
pub struct Shell {
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Organization name.
    pub organization: String,
    /// Whether Settings (API keys, install keys, activity) and Automations are shown.
    pub settings: bool,
    /// Whether Users is shown (administrators).
    pub admin: bool,
    /// The current page in the navigation.
    pub current: Nav,
    /// The CSRF token the page's scripts send in `X-CSRF-Token`.
    pub csrf: String,
}

impl Shell {
    /// The shell for `signed_in` with `current` highlighted.
    pub fn new(signed_in: &SignedIn, current: Nav) -> Self {
        let user = signed_in.user();
        Self {
            name: user.name.clone(),
            email: user.email.clone(),
            organization: user.organization.name.clone(),
            settings: may_use_settings(user),
            admin: user.role == Role::Admin,
            current,
            csrf: token::csrf_for(&signed_in.token),
        }
    }

    /// Whether `entry` (`devices`, `api-keys`, `users`, `activity`) is the current page, for
    /// `aria-current="page"` in the navigation.
    pub fn is_current(&self, entry: &str) -> bool {
        let current = match self.current {
            Nav::Devices => "devices",
            Nav::Groups => "groups",
            Nav::Alerts => "alerts",
            Nav::Automations => "automations",
            Nav::ApiKeys => "api-keys",
            Nav::InstallKeys => "install-keys",
            Nav::Users => "users",
            Nav::Activity => "activity",
            Nav::Webhooks => "webhooks",
            Nav::None => return false,
        };
        current == entry
    }
}

/// Renders a template as an HTML response with `status`. A rendering failure is a 500 whose
/// cause is logged, like any other.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => ApiError::Internal(anyhow::Error::new(error)).into_response(),
    }
}

/// A `303 See Other` to `location` (a path on this server).
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, HeaderValue::from_static(HOME))],
        )
            .into_response(),
    }
}

/// `next` if it is a path on this server, so sign-in can never send anyone elsewhere: it must
/// start with one `/` (not `//` or `/\`, which browsers read as another host) and hold no
/// control characters.
pub fn local_path(next: Option<&str>) -> Option<&str> {
    let next = next?;
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    local.then_some(next)
}

/// Percent-encodes a path and query for use as a query value; `/` stays readable.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_server_are_accepted_as_next() {
        assert_eq!(local_path(Some("/settings/users")), Some("/settings/users"));
        assert_eq!(local_path(Some("/a?b=c")), Some("/a?b=c"));
        for bad in [
            "https://evil.test/",
            "//evil.test/",
            "/\\evil.test",
            "evil",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn query_values_are_percent_encoded_except_slashes() {
        assert_eq!(
            encode_query_value("/settings/activity?kind=a b&x=ü"),
            "/settings/activity%3Fkind%3Da%20b%26x%3D%C3%BC"
        );
    }
}
