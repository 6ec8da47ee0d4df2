//! Automations on `/v2`, in the shapes Level's newer clients read: `GET /v2/automations`,
//! `GET /v2/automations/webhooks`, `GET /v2/automation-runs/{id}` and the trigger,
//! `POST /v2/automations/webhooks/{token}`, whose token is its credential.

use axum::extract::State;
use axum::http::HeaderMap;
use plumb_core::automations::webhooks::Triggered;
use plumb_core::devices;
use plumb_core::id::{AutomationId, DeviceId, RunId, WebhookId};
use plumb_core::store::{AutomationRecord, RunRecord};
use plumb_proto::v2::{
    Automation, AutomationRun, AutomationWebhook, Page, RunStatus, RunStep, TriggeredRun,
    TriggeredRuns,
};
use serde::Deserialize;
use serde_json::Value;

use super::paging::PageQuery;
use crate::api::v1::automation_webhooks::{public_base, trigger_url};
use crate::auth::api_key::{ApiKeyAuth, presented_key};
use crate::error::{ACCESS_DENIED, ApiError};
use crate::extract::{AppBytes, AppQuery, ClientInfo, PathId, path_id};
use crate::state::AppState;

/// `GET /v2/automations`
#[utoipa::path(
    get,
    path = "/v2/automations",
    operation_id = "listAutomations",
    tag = "Automations",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of automations", body = Page<Automation>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_automations(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<axum::Json<Page<Automation>>, ApiError> {
    let request = query.to_request(AutomationId::parse)?;
    let page = state
        .automations
        .list(key.organization_id, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(automation_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/automations/webhooks`
#[utoipa::path(
    get,
    path = "/v2/automations/webhooks",
    operation_id = "listAutomationWebhooks",
    tag = "Automations",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of webhook triggers", body = Page<AutomationWebhook>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_webhooks(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    headers: HeaderMap,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<axum::Json<Page<AutomationWebhook>>, ApiError> {
    let request = query.to_request(WebhookId::parse)?;
    let page = state
        .automations
        .list_webhooks(key.organization_id, None, &request)
        .await?;
    let base = public_base(&state, &headers);
    let data = page
        .items
        .iter()
        .map(|record| AutomationWebhook {
            // A token that cannot be shown again (hash-only mode) appears masked.
            url: trigger_url(
                &base,
                &state
                    .automations
                    .webhook_token(record)
                    .unwrap_or_else(|| "plumbw_****".to_owned()),
            ),
            automation_id: record.automation_id.to_string(),
            automation_name: Some(record.automation_name.clone()),
            requires_authorization_header: record.authorization_digest.is_some(),
            parameters: vec!["device_ids".to_owned()],
        })
        .collect();
    Ok(axum::Json(Page {
        data,
        has_more: page.has_more,
    }))
}

/// Query of `GET /v2/automation-runs/{id}`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    /// Add `steps` (`true`, `false`, `1` or `0`).
    #[param(value_type = Option<bool>)]
    include_steps: Option<String>,
}

/// `GET /v2/automation-runs/{id}[?include_steps=true]`
#[utoipa::path(
    get,
    path = "/v2/automation-runs/{id}",
    operation_id = "showAutomationRun",
    tag = "Automations",
    params(("id" = String, Path, description = "Run id"), RunQuery),
    responses(
        (status = 200, description = "The run", body = AutomationRun),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_run(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
    AppQuery(query): AppQuery<RunQuery>,
) -> Result<axum::Json<AutomationRun>, ApiError> {
    let include_steps = match query.include_steps.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "include_steps must be true or false".to_owned(),
            ));
        }
    };
    let id = path_id(&id, RunId::parse, "automation run")?;
    let run = state.automations.run(key.organization_id, id).await?;
    Ok(axum::Json(run_view(&run, include_steps)))
}

/// `POST /v2/automations/webhooks/{token}`: body optional, `{"device_ids": [...]}` narrows
/// the run to those devices; other keys are ignored.
#[utoipa::path(
    post,
    path = "/v2/automations/webhooks/{token}",
    operation_id = "triggerWebhook",
    tag = "Automations",
    params(("token" = String, Path, description = "The trigger's token (its credential)")),
    request_body(content = Option<Object>, description = "Optional. `device_ids` (string[]) narrows the run to those devices; other keys are ignored."),
    security((), ("webhook_authorization" = [])),
    responses(
        (status = 200, description = "One run per started device", body = TriggeredRuns),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn trigger(
    State(state): State<AppState>,
    PathId(token): PathId,
    headers: HeaderMap,
    client: ClientInfo,
    AppBytes(body): AppBytes,
) -> Result<axum::Json<TriggeredRuns>, ApiError> {
    let only = device_ids(&body)?;
    let outcome = state
        .automations
        .trigger(
            &token,
            presented_key(&headers),
            (only.as_deref(), client.ip),
            state.clock.now(),
        )
        .await?;
    match outcome {
        Triggered::Unknown => Err(ApiError::not_found("webhook trigger")),
        Triggered::Denied => Err(ApiError::Unauthenticated(ACCESS_DENIED)),
        Triggered::Started(runs) => Ok(axum::Json(TriggeredRuns {
            runs: runs
                .iter()
                .map(|run| TriggeredRun {
                    id: run.id.to_string(),
                    device_id: run.device_id.to_string(),
                })
                .collect(),
        })),
    }
}

/// The `device_ids` of a trigger body: `None` (absent, `null`, or no body) targets every
/// device of the automation; ids that name no device of the target are skipped.
fn device_ids(body: &[u8]) -> Result<Option<Vec<DeviceId>>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        ApiError::BadRequest(format!("malformed JSON in request body: {error}"))
    })?;
    let Value::Object(object) = value else {
        return Err(ApiError::BadRequest(
            "the request body must be a JSON object".to_owned(),
        ));
    };
    let ids = match object.get("device_ids") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(ids)) => ids,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "device_ids must be an array of device ids".to_owned(),
            ));
        }
    };
    devices::device_count(ids.len())?;
    let mut parsed = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(text) = id.as_str() else {
            return Err(ApiError::BadRequest(
                "device_ids must be an array of device ids".to_owned(),
            ));
        };
        parsed.extend(DeviceId::parse(text));
    }
    Ok(Some(parsed))
}

fn automation_view(record: &AutomationRecord) -> Automation {
    Automation {
        id: record.id.to_string(),
        name: Some(record.name.clone()),
        description: record.description.clone(),
        group_id: record.group_id.map(|group| group.to_string()),
        group_name: record.group_name.clone(),
    }
}

/// A run in Level's shape. With steps: each executed step's outcome, then the steps not run
/// yet, `pending` while the run may still run them and `canceled` once it has ended.
fn run_view(run: &RunRecord, include_steps: bool) -> AutomationRun {
    let steps = include_steps.then(|| {
        let not_run = if matches!(run.status, RunStatus::Pending | RunStatus::Running) {
            RunStatus::Pending
        } else {
            RunStatus::Canceled
        };
        let executed = run.results.iter().map(|result| RunStep {
            name: Some(result.name.clone()),
            status: result.status,
            output: Some(result.output.clone()),
        });
        let rest = run
            .steps
            .iter()
            .skip(run.results.len())
            .map(|step| RunStep {
                name: Some(step.name.clone()),
                status: not_run,
                output: None,
            });
        executed.chain(rest).collect()
    });
    AutomationRun {
        id: run.id.to_string(),
        automation_id: run.automation_id.map(|id| id.to_string()),
        automation_name: Some(run.automation_name.clone()),
        device_id: run.device_id.map(|id| id.to_string()),
        device_hostname: run.device_hostname.clone(),
        status: run.status,
        started_at: run.started_at,
        ended_at: run.ended_at,
        steps,
    }
}
