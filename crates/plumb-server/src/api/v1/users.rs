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
#[utoipa::path(
    get,
    path = "/api/v1/users",
    operation_id = "listUsers",
    tag = "Users",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every user, oldest first", body = List<User>),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/users",
    operation_id = "createUser",
    tag = "Users",
    request_body = CreateUser,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new user", body = CreatedUser, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
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
#[utoipa::path(
    method(patch, put),
    path = "/api/v1/users/{id}",
    operation_id = "updateUser",
    tag = "Users",
    params(("id" = String, Path, description = "User id")),
    request_body = UpdateUser,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
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
