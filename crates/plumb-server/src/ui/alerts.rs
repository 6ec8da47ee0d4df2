//! Alerts, for everyone signed in: `/alerts`, active alerts first (severity, device, since
//! when) with Resolve, then the resolved ones. `static/alerts.js` loads
//! `GET /api/v1/alerts?status=…` and resolves with `POST /api/v1/alerts/{id}/resolve`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Nav, PageMeta, Shell, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /alerts`
pub async fn alerts_page(signed_in: SignedIn) -> Response {
    let page = AlertsPage {
        page: PageMeta {
            title: "Alerts",
            script: Some("alerts.js"),
        },
        shell: Shell::new(&signed_in, Nav::Alerts),
    };
    render(StatusCode::OK, &page)
}
