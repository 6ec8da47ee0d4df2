//! [`AgentJson`]: the JSON body of an agent request, read like [`AppJson`] but under the
//! route's own, larger size limit (set by the route table), which its 413 names.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::{INVENTORY_BODY_LIMIT, REPORT_BODY_LIMIT};
use crate::error::ApiError;
use crate::extract::AppJson;

/// A JSON body of at most `LIMIT` bytes.
pub struct AgentJson<T, const LIMIT: usize>(pub T);

/// An enrollment or check-in body.
pub type InventoryJson<T> = AgentJson<T, INVENTORY_BODY_LIMIT>;
/// A run report body.
pub type ReportJson<T> = AgentJson<T, REPORT_BODY_LIMIT>;

impl<S, T, const LIMIT: usize> FromRequest<S> for AgentJson<T, LIMIT>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match AppJson::<T>::from_request(req, state).await {
            Ok(AppJson(value)) => Ok(Self(value)),
            Err(ApiError::PayloadTooLarge(_)) => Err(ApiError::PayloadTooLarge(LIMIT)),
            Err(other) => Err(other),
        }
    }
}
