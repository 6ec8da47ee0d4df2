//! First-run setup and password links: `POST /api/v1/setup` (with the one-time token printed at
//! startup) and `POST /api/v1/password` (with a `set_password_url` token).

use axum::extract::State;
use axum::http::StatusCode;
use plumb_core::accounts::NewAccount;
use plumb_core::store::CreateMode;
use plumb_proto::v1::{SetPasswordRequest, SetupRequest, User};
use secrecy::SecretString;

use super::user_view;
use crate::error::ApiError;
use crate::extract::{AppJson, ClientInfo};
use crate::state::AppState;

/// `POST /api/v1/setup`
#[utoipa::path(
    post,
    path = "/api/v1/setup",
    operation_id = "completeSetup",
    tag = "Setup",
    request_body = SetupRequest,
    security(()),
    responses(
        (status = 201, description = "The first organization's administrator", body = User),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn complete_setup(
    State(state): State<AppState>,
    client: ClientInfo,
    AppJson(request): AppJson<SetupRequest>,
) -> Result<(StatusCode, axum::Json<User>), ApiError> {
    if !state
        .setup
        .admits_token(&request.token, &state.accounts)
        .await?
    {
        return Err(ApiError::Forbidden(
            "this setup link is invalid or has already been used".to_owned(),
        ));
    }
    let account = NewAccount {
        organization_name: request.organization_name,
        email: request.email,
        name: request.name,
        password: SecretString::from(request.password),
    };
    let user = state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, client.ip, state.clock.now())
        .await?;
    state.setup.close();
    tracing::info!(organization.id = %user.organization.id, "setup complete: organization {} created", user.organization.id);
    Ok((StatusCode::CREATED, axum::Json(user_view(&user))))
}

/// `POST /api/v1/password`
#[utoipa::path(
    post,
    path = "/api/v1/password",
    operation_id = "setPassword",
    tag = "Setup",
    request_body = SetPasswordRequest,
    security(()),
    responses(
        (status = 204, description = "The password is set; the link is used up"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn set_password(
    State(state): State<AppState>,
    AppJson(request): AppJson<SetPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts
        .set_password(
            &request.token,
            SecretString::from(request.password),
            state.clock.now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
