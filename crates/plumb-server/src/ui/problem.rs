//! Pages that explain a problem instead of showing content: the "you need access" pages (403,
//! inside the app shell, so the person can still navigate and sign out), not found (404) and
//! server errors (500, generic; the cause goes to the log), plus the one-message page the setup
//! and password forms answer with.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Nav, PageMeta, Shell, render};
use crate::auth::session::SignedIn;
use crate::error::ApiError;

/// A link shown under a message.
pub struct Link {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
}

/// The sign-in link most messages end with.
pub const SIGN_IN: Link = Link {
    href: "/login",
    label: "Sign in",
};

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    page: PageMeta,
    text: String,
    link: Option<Link>,
}

#[derive(Template)]
#[template(path = "denied.html")]
struct DeniedPage {
    page: PageMeta,
    shell: Shell,
    text: String,
    advice: &'static str,
}

/// A page with a heading, one paragraph and an optional link, outside the app shell.
pub fn message(
    status: StatusCode,
    title: &'static str,
    text: &str,
    link: Option<Link>,
) -> Response {
    let page = MessagePage {
        page: PageMeta {
            title,
            script: None,
        },
        text: text.to_owned(),
        link,
    };
    render(status, &page)
}

/// 403 for a Settings page when the person lacks Settings access.
pub fn needs_settings(signed_in: &SignedIn) -> Response {
    denied(
        signed_in,
        "You need Settings access",
        format!(
            "Your account can't open Settings in {}: API keys, install keys, automations and the activity log need Settings access.",
            signed_in.user().organization.name
        ),
        "Ask an administrator of your organization to give you Settings access, then reload this page.",
    )
}

/// 403 for an administrators-only page.
pub fn needs_admin(signed_in: &SignedIn) -> Response {
    denied(
        signed_in,
        "You need to be an administrator",
        "Only administrators can see and manage the people in your organization.".to_owned(),
        "Ask an administrator if someone needs to be added, changed or disabled.",
    )
}

fn denied(
    signed_in: &SignedIn,
    title: &'static str,
    text: String,
    advice: &'static str,
) -> Response {
    let page = DeniedPage {
        page: PageMeta {
            title,
            script: Some("shell.js"),
        },
        shell: Shell::new(signed_in, Nav::None),
        text,
        advice,
    };
    render(StatusCode::FORBIDDEN, &page)
}

/// 404 for a page address that does not exist.
pub fn not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Check the link, or start again from the home page.",
        Some(Link {
            href: "/",
            label: "Go to plumb",
        }),
    )
}

/// The page for an error while serving a page: 5xx are logged (by the error's own response)
/// and shown generically; anything else shows its message.
pub fn server_error(error: ApiError) -> Response {
    let (status, _) = error.status_and_code();
    if !status.is_server_error() {
        return message(
            status,
            "Something is not right",
            &sentence(&error.to_string()),
            None,
        );
    }
    // Log the cause the way every other 5xx is logged, then show a generic page.
    let _ = error.into_response();
    message(
        status,
        "Something went wrong",
        "plumb could not show this page. Try again in a moment; if it keeps happening, the server log has the details.",
        None,
    )
}

/// An error message as a sentence: capital first letter, full stop at the end.
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_become_sentences() {
        assert_eq!(
            sentence("password must have at least 10 characters"),
            "Password must have at least 10 characters."
        );
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence(""), "");
    }
}
