//! `POST /agent/v1/runs/{id}`: the outcome of a run the device was given.

use axum::extract::State;
use plumb_core::id::RunId;
use plumb_proto::agent::RunReport;
use plumb_proto::v2::Success;

use super::auth::DeviceAuth;
use super::body::{AgentJson, ReportJson};
use crate::error::ApiError;
use crate::extract::{PathId, path_id};
use crate::state::AppState;

/// `POST /agent/v1/runs/{id}`
pub async fn report_run(
    State(state): State<AppState>,
    DeviceAuth(owner): DeviceAuth,
    PathId(id): PathId,
    AgentJson(report): ReportJson<RunReport>,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, RunId::parse, "run")?;
    state
        .agents
        .finish_run(owner, id, &report, state.clock.now())
        .await?;
    Ok(axum::Json(Success { success: true }))
}
