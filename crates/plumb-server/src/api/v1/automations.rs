//! Automations (Settings) under `/api/v1/automations`: a keyset-paged list (the `/v2` paging
//! parameters), show, create, partial update (PATCH and PUT alike) and delete.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::automations::rules::DEFAULT_TIMEOUT;
use plumb_core::automations::{Change, Draft};
use plumb_core::id::{AutomationId, GroupId};
use plumb_core::store::AutomationRecord;
use plumb_proto::agent::ScriptStep;
use plumb_proto::v1::{AutomationDetail, CreateAutomation, StepInput, UpdateAutomation};
use plumb_proto::v2::Page;

use crate::api::v2::paging::PageQuery;
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/automations?limit=&starting_after=&ending_before=`
#[utoipa::path(
    get,
    path = "/api/v1/automations",
    operation_id = "listAutomations",
    tag = "Automations",
    params(PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of automations, in creation order", body = Page<AutomationDetail>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn list_automations(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<axum::Json<Page<AutomationDetail>>, ApiError> {
    let page = query.to_request(AutomationId::parse)?;
    let found = state
        .automations
        .list(user.user().organization.id, &page)
        .await?;
    Ok(axum::Json(Page {
        data: found.items.iter().map(automation_view).collect(),
        has_more: found.has_more,
    }))
}

/// `GET /api/v1/automations/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/automations/{id}",
    operation_id = "showAutomation",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The automation", body = AutomationDetail),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_automation(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<AutomationDetail>, ApiError> {
    let id = path_id(&id, AutomationId::parse, "automation")?;
    let record = state
        .automations
        .get(user.user().organization.id, id)
        .await?;
    Ok(axum::Json(automation_view(&record)))
}

/// `POST /api/v1/automations`
#[utoipa::path(
    post,
    path = "/api/v1/automations",
    operation_id = "createAutomation",
    tag = "Automations",
    request_body = CreateAutomation,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new automation", body = AutomationDetail, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_automation(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<CreateAutomation>,
) -> Result<Response, ApiError> {
    let draft = Draft {
        name: request.name,
        description: request.description,
        group_id: group_id(request.group_id.as_deref())?,
        steps: request.steps.into_iter().map(step).collect(),
    };
    let record = state
        .automations
        .create(&user.actor(), draft, state.clock.now())
        .await?;
    let location = format!("/api/v1/automations/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(automation_view(&record)),
    )
        .into_response())
}

/// `PATCH /api/v1/automations/{id}` (PUT is accepted too): absent fields stay.
#[utoipa::path(
    method(patch, put),
    path = "/api/v1/automations/{id}",
    operation_id = "updateAutomation",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    request_body = UpdateAutomation,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The automation", body = AutomationDetail),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_automation(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateAutomation>,
) -> Result<axum::Json<AutomationDetail>, ApiError> {
    let id = path_id(&id, AutomationId::parse, "automation")?;
    let change = Change {
        name: request.name,
        description: request.description,
        group_id: request
            .group_id
            .map(|group| group_id(group.as_deref()))
            .transpose()?,
        steps: request
            .steps
            .map(|steps| steps.into_iter().map(step).collect()),
    };
    let record = state
        .automations
        .update(&user.actor(), id, change, state.clock.now())
        .await?;
    Ok(axum::Json(automation_view(&record)))
}

/// `DELETE /api/v1/automations/{id}`: its triggers go too; its runs stay.
#[utoipa::path(
    delete,
    path = "/api/v1/automations/{id}",
    operation_id = "deleteAutomation",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted; its triggers stop, its runs stay"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_automation(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, AutomationId::parse, "automation")?;
    state
        .automations
        .delete(&user.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An automation as the management API shows it.
pub fn automation_view(record: &AutomationRecord) -> AutomationDetail {
    AutomationDetail {
        id: record.id.to_string(),
        name: record.name.clone(),
        description: record.description.clone(),
        group_id: record.group_id.map(|group| group.to_string()),
        group_name: record.group_name.clone(),
        steps: record.steps.clone(),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// A group id from a body: a malformed one is a group that does not exist (404).
fn group_id(text: Option<&str>) -> Result<Option<GroupId>, ApiError> {
    text.map(|id| path_id(id, GroupId::parse, "group"))
        .transpose()
}

fn step(input: StepInput) -> ScriptStep {
    ScriptStep {
        name: input.name,
        shell: input.shell,
        script: input.script,
        timeout_seconds: input.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT),
    }
}
