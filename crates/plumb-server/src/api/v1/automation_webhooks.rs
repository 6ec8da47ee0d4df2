//! Webhook triggers of an automation (Settings) under `/api/v1/automations/{id}/webhooks`:
//! create (the required `Authorization` value is shown this once), list and delete. A
//! trigger's URL is `<public base>/v2/automations/webhooks/<token>`.

use axum::extract::{Path, State};
use axum::http::header::{HOST, LOCATION};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use plumb_core::id::{AutomationId, WebhookId};
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::WebhookRecord;
use plumb_proto::v1::{CreateWebhook, List, Webhook};

use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// The path of trigger URLs, before the token.
pub const TRIGGER_PATH: &str = "/v2/automations/webhooks/";

/// `POST /api/v1/automations/{id}/webhooks`
#[utoipa::path(
    post,
    path = "/api/v1/automations/{id}/webhooks",
    operation_id = "createAutomationWebhook",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    request_body = CreateWebhook,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new trigger (with `authorization` when required, shown this once)", body = Webhook, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
    ),
)]
pub async fn create_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    headers: HeaderMap,
    PathId(id): PathId,
    AppJson(request): AppJson<CreateWebhook>,
) -> Result<Response, ApiError> {
    let automation_id = path_id(&id, AutomationId::parse, "automation")?;
    let created = state
        .automations
        .create_webhook(
            &user.actor(),
            automation_id,
            request.require_authorization,
            state.clock.now(),
        )
        .await?;
    let base = public_base(&state, &headers);
    let mut body = webhook_view(&created.record, Some(created.token.expose()), &base);
    body.authorization = created
        .authorization
        .as_ref()
        .map(|value| value.expose().to_owned());
    let location = format!("/api/v1/automations/{automation_id}/webhooks/{}", body.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

/// `GET /api/v1/automations/{id}/webhooks`: every trigger of the automation, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/automations/{id}/webhooks",
    operation_id = "listAutomationWebhooks",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The automation's triggers, oldest first", body = List<Webhook>),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_webhooks(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    headers: HeaderMap,
    PathId(id): PathId,
) -> Result<axum::Json<List<Webhook>>, ApiError> {
    let automation_id = path_id(&id, AutomationId::parse, "automation")?;
    let organization_id = user.user().organization.id;
    let base = public_base(&state, &headers);
    let mut data = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let page = PageRequest {
            limit: MAX_LIMIT,
            cursor,
        };
        let found = state
            .automations
            .list_webhooks(organization_id, Some(automation_id), &page)
            .await?;
        for record in &found.items {
            let token = state.automations.webhook_token(record);
            data.push(webhook_view(record, token.as_deref(), &base));
        }
        match found.items.last() {
            Some(last) if found.has_more => cursor = Cursor::After(last.id),
            _ => break,
        }
    }
    Ok(axum::Json(List { data }))
}

/// `DELETE /api/v1/automations/{id}/webhooks/{webhook_id}`: the token stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/automations/{id}/webhooks/{webhook_id}",
    operation_id = "deleteAutomationWebhook",
    tag = "Automations",
    params(("id" = String, Path, description = "Automation id"), ("webhook_id" = String, Path, description = "Webhook trigger id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted; its URL answers 404 from now on"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    Path((id, webhook_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let automation_id = path_id(&id, AutomationId::parse, "automation")?;
    let webhook_id = path_id(&webhook_id, WebhookId::parse, "webhook trigger")?;
    state
        .automations
        .delete_webhook(&user.actor(), automation_id, webhook_id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where trigger URLs point: the configured `public_url`, else `http://` and the request's
/// `Host` header (when it is a valid host), else the default public URL.
pub fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if !state.web.public_url_configured {
        let host = headers
            .get(HOST)
            .and_then(|value| value.to_str().ok())
            .and_then(|host| host.parse::<Authority>().ok())
            .filter(|authority| !authority.as_str().contains('@'));
        if let Some(host) = host {
            return format!("http://{host}");
        }
    }
    state.web.public_url.clone()
}

/// The URL of a trigger whose token is `token`.
pub fn trigger_url(base: &str, token: &str) -> String {
    format!("{base}{TRIGGER_PATH}{token}")
}

fn webhook_view(record: &WebhookRecord, token: Option<&str>, base: &str) -> Webhook {
    Webhook {
        id: record.id.to_string(),
        url: token.map(|token| trigger_url(base, token)),
        automation_id: record.automation_id.to_string(),
        requires_authorization_header: record.authorization_digest.is_some(),
        authorization: None,
        created_at: record.created_at,
    }
}
