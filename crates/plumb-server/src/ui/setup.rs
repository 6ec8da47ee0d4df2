//! First-run setup, `/setup?token=`: the one page that must work before anyone can sign in. A
//! plain HTML form posted without script, so it works in any browser under the strict CSP; a
//! refused submission shows the form again with the message and what was typed (never the
//! password).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::NewAccount;
use plumb_core::store::CreateMode;
use secrecy::SecretString;
use serde::Deserialize;

use super::problem::{self, SIGN_IN, sentence};
use super::{PageMeta, render};
use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// `?token=` of the setup and password pages.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    /// The one-time token from the link.
    pub token: Option<String>,
}

/// The setup form's fields.
#[derive(Debug, Deserialize)]
pub struct SetupForm {
    token: String,
    organization_name: String,
    name: Option<String>,
    email: String,
    password: String,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    page: PageMeta,
    token: String,
    organization_name: String,
    name: String,
    email: String,
    error: Option<String>,
}

impl SetupPage {
    fn new(token: String) -> Self {
        Self {
            page: PageMeta {
                title: "Set up plumb",
                script: None,
            },
            token,
            organization_name: String::new(),
            name: String::new(),
            email: String::new(),
            error: None,
        }
    }
}

/// `GET /setup`
pub async fn setup_page(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Response {
    let token = query.token.unwrap_or_default();
    if !state
        .setup
        .admits_token(&token, &state.accounts)
        .await
        .unwrap_or(false)
    {
        return link_not_valid();
    }
    render(StatusCode::OK, &SetupPage::new(token))
}

/// `POST /setup`
pub async fn submit_setup(
    State(state): State<AppState>,
    client: ClientInfo,
    Form(form): Form<SetupForm>,
) -> Response {
    if !state
        .setup
        .admits_token(&form.token, &state.accounts)
        .await
        .unwrap_or(false)
    {
        return link_not_valid();
    }
    let account = NewAccount {
        organization_name: form.organization_name.clone(),
        email: form.email.clone(),
        name: form.name.clone().filter(|name| !name.trim().is_empty()),
        password: SecretString::from(form.password),
    };
    match state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, client.ip, state.clock.now())
        .await
    {
        Ok(user) => {
            state.setup.close();
            problem::message(
                StatusCode::CREATED,
                "plumb is ready",
                &format!(
                    "The organization {} and your administrator account {} exist now. Sign in to create your first API key.",
                    user.organization.name, user.email
                ),
                Some(SIGN_IN),
            )
        }
        Err(error) => {
            let error = ApiError::from(error);
            let (status, _) = error.status_and_code();
            if status.is_server_error() {
                return problem::server_error(error);
            }
            let page = SetupPage {
                organization_name: form.organization_name,
                name: form.name.unwrap_or_default(),
                email: form.email,
                error: Some(sentence(&error.to_string())),
                ..SetupPage::new(form.token)
            };
            render(status, &page)
        }
    }
}

fn link_not_valid() -> Response {
    problem::message(
        StatusCode::FORBIDDEN,
        "Setup link not valid",
        "This setup link is invalid or has already been used. If plumb is set up, sign in instead.",
        Some(SIGN_IN),
    )
}
