//! Automations (Settings access): `/automations`, the list; `/automations/new` and
//! `/automations/{id}`, the editor (name, description, target group, ordered steps), with, for
//! an existing automation, its webhook triggers, Run now and its Runs view.
//! `static/automations.js` and `static/automation-edit.js` (with `triggers.js`, `run-now.js`
//! and `runs.js`) call `/api/v1/automations`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::may_use_settings;
use plumb_core::automations::rules::{DEFAULT_TIMEOUT, SHELLS, TIMEOUT_MAX};
use plumb_core::id::AutomationId;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "automations.html")]
struct AutomationsPage {
    page: PageMeta,
    shell: Shell,
}

#[derive(Template)]
#[template(path = "automation_edit.html")]
struct EditorPage {
    page: PageMeta,
    shell: Shell,
    /// The automation's id; empty for a new one.
    id: String,
    /// Its name, for the heading (empty for a new one).
    name: String,
    shells: [&'static str; 4],
    default_timeout: u32,
    timeout_max: u32,
}

#[derive(Template)]
#[template(path = "automation_missing.html")]
struct MissingPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /automations`
pub async fn automations_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let page = AutomationsPage {
        page: PageMeta {
            title: "Automations",
            script: Some("automations.js"),
        },
        shell: Shell::new(&signed_in, Nav::Automations),
    };
    render(StatusCode::OK, &page)
}

/// `GET /automations/new`
pub async fn new_automation_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    editor(&signed_in, "New automation", String::new(), String::new())
}

/// `GET /automations/{id}`
pub async fn automation_page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let organization_id = signed_in.user().organization.id;
    // A malformed id is as missing as an unknown one, or another organization's.
    let found = match AutomationId::parse(&id) {
        Some(id) => state
            .automations
            .get(organization_id, id)
            .await
            .map_err(ApiError::from),
        None => Err(ApiError::not_found("automation")),
    };
    match found {
        Ok(record) => editor(&signed_in, "Automation", record.id.to_string(), record.name),
        Err(ApiError::NotFound(_)) => {
            let page = MissingPage {
                page: PageMeta {
                    title: "Automation not found",
                    script: Some("shell.js"),
                },
                shell: Shell::new(&signed_in, Nav::Automations),
            };
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(error) => problem::server_error(error),
    }
}

fn editor(signed_in: &SignedIn, title: &'static str, id: String, name: String) -> Response {
    let page = EditorPage {
        page: PageMeta {
            title,
            script: Some("automation-edit.js"),
        },
        shell: Shell::new(signed_in, Nav::Automations),
        id,
        name,
        shells: SHELLS,
        default_timeout: DEFAULT_TIMEOUT,
        timeout_max: TIMEOUT_MAX,
    };
    render(StatusCode::OK, &page)
}
