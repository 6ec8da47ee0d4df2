//! The device token gate of `/agent/v1`: `Authorization: Bearer <device token>`. A missing,
//! malformed or unknown token, or one whose device was deleted, gets 401
//! `{"error": "invalid device token"}`.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plumb_core::store::TokenOwner;

use crate::auth::api_key::presented_key;
use crate::error::ApiError;
use crate::state::AppState;

/// The 401 message for a bad device token.
pub const INVALID_TOKEN: &str = "invalid device token";

/// The device behind an `/agent/v1` request, placed by [`require_device_token`].
#[derive(Debug, Clone, Copy)]
pub struct DeviceAuth(pub TokenOwner);

impl<S: Send + Sync> FromRequestParts<S> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<TokenOwner>()
            .copied()
            .map(Self)
            .ok_or(ApiError::Unauthenticated(INVALID_TOKEN))
    }
}

/// Middleware guarding the device routes of `/agent/v1`.
#[tracing::instrument(name = "auth.device", skip_all)]
pub async fn require_device_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let owner = match presented_key(request.headers()) {
        None => Ok(None),
        Some(presented) => state.agents.device_for_token(presented).await,
    };
    match owner {
        Ok(Some(owner)) => {
            request.extensions_mut().insert(owner);
            next.run(request).await
        }
        Ok(None) => ApiError::Unauthenticated(INVALID_TOKEN).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}
