//! Settings → Webhooks, `/settings/webhooks`: outgoing event webhook endpoints (URL,
//! description, secret, events, enabled) and, per endpoint, its Requests tab (every attempt,
//! Re-run for a failed one, Send test event). The page frame, dialogs and row templates are
//! rendered here; `static/webhooks.js` loads and changes everything through `/api/v1/webhooks`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::may_use_settings;
use plumb_core::events::EventType;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    page: PageMeta,
    shell: Shell,
    /// Level's events, for the subscription checkboxes.
    events: Vec<&'static str>,
    /// plumb's security events, checkboxes of their own.
    security_events: Vec<&'static str>,
}

/// `GET /settings/webhooks`
pub async fn webhooks_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let page = WebhooksPage {
        page: PageMeta {
            title: "Webhooks",
            script: Some("webhooks.js"),
        },
        shell: Shell::new(&signed_in, Nav::Webhooks),
        events: EventType::LEVEL
            .iter()
            .map(|event| event.as_str())
            .collect(),
        security_events: EventType::SECURITY
            .iter()
            .map(|event| event.as_str())
            .collect(),
    };
    render(StatusCode::OK, &page)
}
