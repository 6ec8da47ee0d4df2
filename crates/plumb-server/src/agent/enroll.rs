//! `POST /agent/v1/enroll`: an install key and the machine's inventory in, a device id and
//! token out. The install key is checked first: a body without a valid one gets 401.

use axum::extract::State;
use axum::http::StatusCode;
use plumb_core::agents::{DEFAULT_INTERVAL, Report};
use plumb_proto::agent::{EnrollRequest, Enrolled};

use super::body::{AgentJson, InventoryJson};
use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// The 401 message for a bad install key.
pub const INVALID_KEY: &str = "invalid install key";

/// `POST /agent/v1/enroll`
pub async fn enroll(
    State(state): State<AppState>,
    client: ClientInfo,
    AgentJson(body): InventoryJson<serde_json::Value>,
) -> Result<(StatusCode, axum::Json<Enrolled>), ApiError> {
    // Credentials before content: a request without a well-formed key learns nothing more.
    let presented = body
        .get("install_key")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let Some(key) = state.install_keys.resolve(presented).await? else {
        return Err(ApiError::Unauthenticated(INVALID_KEY));
    };
    let request: EnrollRequest = serde_json::from_value(body)
        .map_err(|error| ApiError::BadRequest(format!("invalid request body: {error}")))?;
    let report = Report {
        inventory: &request.inventory,
        interval_seconds: DEFAULT_INTERVAL,
        public_ip_address: client.ip,
    };
    let enrollment = state
        .agents
        .enroll(&key, &report, state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Enrolled {
            device_id: enrollment.device_id.to_string(),
            device_token: enrollment.token.expose().to_owned(),
            checkin_interval_seconds: DEFAULT_INTERVAL,
        }),
    ))
}
