//! Password links, `/set-password?token=`: a plain HTML form (no script) where a new user, or
//! one whose password an administrator reset, chooses a password.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::token;
use secrecy::SecretString;
use serde::Deserialize;

use super::problem::{self, SIGN_IN, sentence};
use super::setup::TokenQuery;
use super::{PageMeta, render};
use crate::error::ApiError;
use crate::state::AppState;

/// The password form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    token: String,
    password: String,
}

#[derive(Template)]
#[template(path = "set_password.html")]
struct PasswordPage {
    page: PageMeta,
    token: String,
    error: Option<String>,
}

/// `GET /set-password`
pub async fn set_password_page(Query(query): Query<TokenQuery>) -> Response {
    let token = query.token.unwrap_or_default();
    if token::digest_of(&token).is_none() {
        return problem::message(
            StatusCode::BAD_REQUEST,
            "Link not valid",
            "This password link is not valid. Ask an administrator for a new one.",
            None,
        );
    }
    render(StatusCode::OK, &page(token, None))
}

/// `POST /set-password`
pub async fn submit_set_password(
    State(state): State<AppState>,
    Form(form): Form<PasswordForm>,
) -> Response {
    match state
        .accounts
        .set_password(
            &form.token,
            SecretString::from(form.password),
            state.clock.now(),
        )
        .await
    {
        Ok(user) => problem::message(
            StatusCode::OK,
            "Password set",
            &format!(
                "The password for {} is set. Sign in to continue.",
                user.email
            ),
            Some(SIGN_IN),
        ),
        Err(error) => {
            let error = ApiError::from(error);
            let (status, _) = error.status_and_code();
            if status.is_server_error() {
                return problem::server_error(error);
            }
            render(
                status,
                &page(form.token, Some(sentence(&error.to_string()))),
            )
        }
    }
}

fn page(token: String, error: Option<String>) -> PasswordPage {
    PasswordPage {
        page: PageMeta {
            title: "Set your password",
            script: None,
        },
        token,
        error,
    }
}
