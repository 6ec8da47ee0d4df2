//! Run now and the Runs views (Settings, like automations): `POST /api/v1/automations/{id}/runs`
//! starts the automation on chosen devices; `GET /api/v1/automations/{id}/runs` and
//! `GET /api/v1/devices/{id}/runs` list runs newest first (`?limit=&cursor=`), each with every
//! step's status and output; `GET /api/v1/runs/{id}` shows one, for watching it live.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::automations::runs::RunList;
use plumb_core::devices::membership_count;
use plumb_core::id::{AutomationId, DeviceId, RunId};
use plumb_core::page::{DEFAULT_LIMIT, MAX_LIMIT};
use plumb_core::store::{RunRecord, RunsOf};
use plumb_proto::v1::{RunDetail, RunPage, RunStepDetail, StartRuns, StartedRun, StartedRuns};
use plumb_proto::v2::RunStatus;
use serde::Deserialize;

use crate::auth::session::{SettingsUser, SignedIn};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of the Runs views.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    /// Runs per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// The previous page's `next_cursor`, for older runs.
    cursor: Option<String>,
}

/// `POST /api/v1/automations/{id}/runs`
#[utoipa::path(
    post,
    path = "/api/v1/automations/{id}/runs",
    operation_id = "startAutomationRuns",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    request_body = StartRuns,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "One pending run per chosen device of the automation's target", body = StartedRuns),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn start_runs(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppJson(request): AppJson<StartRuns>,
) -> Result<Response, ApiError> {
    let automation_id = path_id(&id, AutomationId::parse, "automation")?;
    // At least one id must be sent; a malformed one names no device of the target and is
    // skipped like any other outsider.
    let only = match request.device_ids {
        None => None,
        Some(ids) => {
            membership_count(ids.len())?;
            Some(
                ids.iter()
                    .filter_map(|id| DeviceId::parse(id))
                    .collect::<Vec<_>>(),
            )
        }
    };
    let started = state
        .automations
        .run_now(
            &user.actor(),
            automation_id,
            only.as_deref(),
            state.clock.now(),
        )
        .await?;
    let location = format!("/api/v1/automations/{automation_id}/runs");
    let body = StartedRuns {
        runs: started
            .iter()
            .map(|run| StartedRun {
                id: run.id.to_string(),
                device_id: run.device_id.to_string(),
            })
            .collect(),
    };
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

/// `GET /api/v1/automations/{id}/runs`
#[utoipa::path(
    get,
    path = "/api/v1/automations/{id}/runs",
    operation_id = "listAutomationRuns",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id"), RunsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The automation's runs, newest first", body = RunPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_automation_runs(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppQuery(query): AppQuery<RunsQuery>,
) -> Result<axum::Json<RunPage>, ApiError> {
    let id = path_id(&id, AutomationId::parse, "automation")?;
    list(&state, &user, RunsOf::Automation(id), &query).await
}

/// `GET /api/v1/devices/{id}/runs`
#[utoipa::path(
    get,
    path = "/api/v1/devices/{id}/runs",
    operation_id = "listDeviceRuns",
    tag = "Automations",
    params(("id" = String, Path, description = "Device id"), RunsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The device's runs, newest first", body = RunPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_device_runs(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppQuery(query): AppQuery<RunsQuery>,
) -> Result<axum::Json<RunPage>, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    list(&state, &user, RunsOf::Device(id), &query).await
}

/// `GET /api/v1/runs/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/runs/{id}",
    operation_id = "showRun",
    tag = "Automations",
    params(("id" = String, Path, description = "Run id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The run, with every step", body = RunDetail),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_run(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<RunDetail>, ApiError> {
    let id = path_id(&id, RunId::parse, "automation run")?;
    let run = state
        .automations
        .run(user.user().organization.id, id)
        .await?;
    Ok(axum::Json(run_view(run)))
}

async fn list(
    state: &AppState,
    user: &SignedIn,
    of: RunsOf,
    query: &RunsQuery,
) -> Result<axum::Json<RunPage>, ApiError> {
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}"
                ))
            })?,
    };
    let before = query
        .cursor
        .as_deref()
        .map(|text| {
            RunId::parse(text)
                .ok_or_else(|| ApiError::BadRequest("cursor is not a valid run cursor".to_owned()))
        })
        .transpose()?;
    let RunList { runs, has_more } = state
        .automations
        .runs(user.user().organization.id, of, before, limit)
        .await?;
    let next_cursor = has_more
        .then(|| runs.last().map(|run| run.id.to_string()))
        .flatten();
    Ok(axum::Json(RunPage {
        data: runs.into_iter().map(run_view).collect(),
        next_cursor,
    }))
}

/// A run with every step: each executed step's outcome and output, then the steps not run yet,
/// `pending` while the run may still run them and `canceled` once it has ended.
pub fn run_view(run: RunRecord) -> RunDetail {
    let not_run = if matches!(run.status, RunStatus::Pending | RunStatus::Running) {
        RunStatus::Pending
    } else {
        RunStatus::Canceled
    };
    let mut results = run.results.into_iter();
    let steps = run
        .steps
        .into_iter()
        .map(|step| {
            let result = results.next();
            RunStepDetail {
                status: result.as_ref().map_or(not_run, |result| result.status),
                output: result.map(|result| result.output),
                name: step.name,
                shell: step.shell,
                timeout_seconds: step.timeout_seconds,
            }
        })
        .collect();
    RunDetail {
        id: run.id.to_string(),
        automation_id: run.automation_id.map(|id| id.to_string()),
        automation_name: run.automation_name,
        device_id: run.device_id.map(|id| id.to_string()),
        device_hostname: run.device_hostname,
        status: run.status,
        created_at: run.created_at,
        started_at: run.started_at,
        ended_at: run.ended_at,
        steps,
    }
}
