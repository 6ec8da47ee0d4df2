//! Users (administrators only): `GET` and `POST /api/v1/users`, `PATCH /api/v1/users/{id}`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::accounts::{UserInvite, reveal};
use plumb_core::id::UserId;
use plumb_core::store::UserChange;
use plumb_proto::v1::{CreateUser, CreatedUser, List, UpdateUser, User};
use secrecy::SecretString;

use super::user_view;
use crate::auth::session::AdminUser;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/users`
pub async fn list_users(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
) -> Result<axum::Json<List<User>>, ApiError> {
    let users = state
        .accounts
        .list_users(admin.user().organization.id)
        .await?;
    Ok(axum::Json(List {
        data: users.iter().map(user_view).collect(),
    }))
}

/// `POST /api/v1/users`
pub async fn create_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    AppJson(request): AppJson<CreateUser>,
) -> Result<Response, ApiError> {
    let invite = UserInvite {
        email: request.email,
        name: request.name,
        role: request.role,
        permissions: request.permissions,
        password: request.password.map(SecretString::from),
    };
    let (user, link) = state
        .accounts
        .create_user(&admin.actor(), invite, state.clock.now())
        .await?;
    let set_password_url = link.map(|token| {
        format!(
            "{}/set-password?token={}",
            state.web.public_url,
            reveal(&token)
        )
    });
    let location = format!("/api/v1/users/{}", user.id);
    let body = CreatedUser {
        user: user_view(&user),
        set_password_url,
    };
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

/// `PATCH /api/v1/users/{id}`
pub async fn update_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateUser>,
) -> Result<axum::Json<User>, ApiError> {
    let id = path_id(&id, UserId::parse, "user")?;
    let change = UserChange {
        role: request.role,
        permissions: request.permissions,
        disabled: request.disabled,
    };
    let user = state
        .accounts
        .update_user(&admin.actor(), id, change, state.clock.now())
        .await?;
    Ok(axum::Json(user_view(&user)))
}
