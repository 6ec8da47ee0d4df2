//! The two pages that must work before anyone can sign in: first-run setup (`/setup?token=`)
//! and password links (`/set-password?token=`). Plain HTML forms, no script, so they work in any
//! browser under the strict Content-Security-Policy. The full web UI is served elsewhere.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use plumb_core::accounts::NewAccount;
use plumb_core::store::CreateMode;
use plumb_core::token;
use secrecy::SecretString;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// The Content-Security-Policy of every response: our own resources only, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `?token=` of both pages.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
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

/// The password form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    token: String,
    password: String,
}

/// `GET /setup`
pub async fn setup_page(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Response {
    let token = query.token.unwrap_or_default();
    if !state
        .setup
        .admits_token(&token, &*state.store)
        .await
        .unwrap_or(false)
    {
        return message(
            StatusCode::FORBIDDEN,
            "Setup link not valid",
            "This setup link is invalid or has already been used. If plumb is set up, sign in instead.",
        );
    }
    let fields = format!(
        r#"<input type="hidden" name="token" value="{token}">
<label>Organization name <input name="organization_name" required maxlength="200" autocomplete="organization"></label>
<label>Your name <input name="name" maxlength="200" autocomplete="name"></label>
<label>Email <input name="email" type="email" required autocomplete="email"></label>
<label>Password (at least 10 characters) <input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
<button type="submit">Create organization</button>"#,
        token = escape(&token)
    );
    page(
        StatusCode::OK,
        "Set up plumb",
        &format!(r#"<form method="post" action="/setup">{fields}</form>"#),
    )
}

/// `POST /setup`
pub async fn submit_setup(
    State(state): State<AppState>,
    client: ClientInfo,
    Form(form): Form<SetupForm>,
) -> Response {
    if !state
        .setup
        .admits_token(&form.token, &*state.store)
        .await
        .unwrap_or(false)
    {
        return message(
            StatusCode::FORBIDDEN,
            "Setup link not valid",
            "This setup link is invalid or has already been used.",
        );
    }
    let account = NewAccount {
        organization_name: form.organization_name,
        email: form.email,
        name: form.name,
        password: SecretString::from(form.password),
    };
    match state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, client.ip, state.clock.now())
        .await
    {
        Ok(user) => {
            state.setup.close();
            message(
                StatusCode::CREATED,
                "plumb is ready",
                &format!(
                    "The organization {} and your administrator account {} exist now. Sign in to continue.",
                    user.organization.name, user.email
                ),
            )
        }
        Err(error) => failure(ApiError::from(error)),
    }
}

/// `GET /set-password`
pub async fn set_password_page(Query(query): Query<TokenQuery>) -> Response {
    let token = query.token.unwrap_or_default();
    if token::digest_of(&token).is_none() {
        return message(
            StatusCode::BAD_REQUEST,
            "Link not valid",
            "This password link is not valid. Ask an administrator for a new one.",
        );
    }
    let fields = format!(
        r#"<input type="hidden" name="token" value="{token}">
<label>New password (at least 10 characters) <input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
<button type="submit">Set password</button>"#,
        token = escape(&token)
    );
    page(
        StatusCode::OK,
        "Set your password",
        &format!(r#"<form method="post" action="/set-password">{fields}</form>"#),
    )
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
        Ok(user) => message(
            StatusCode::OK,
            "Password set",
            &format!(
                "The password for {} is set. Sign in to continue.",
                user.email
            ),
        ),
        Err(error) => failure(ApiError::from(error)),
    }
}

fn failure(error: ApiError) -> Response {
    let (status, _) = error.status_and_code();
    if status.is_server_error() {
        // Log the cause the way every other 5xx is logged.
        let _ = error.into_response();
        return message(
            status,
            "Something went wrong",
            "plumb could not finish this; the server log has the details.",
        );
    }
    message(status, "Please check the form", &error.to_string())
}

fn message(status: StatusCode, title: &str, text: &str) -> Response {
    page(status, title, &format!("<p>{}</p>", escape(text)))
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · plumb</title></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title)
    );
    (status, Html(html)).into_response()
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
