//! plumb's own OpenAPI 3.1 documents, generated from the code: [`V2Doc`] for the public API
//! (`/v2`, Level compatible) and [`V1Doc`] for the management API (`/api/v1`). Each document is
//! its frame (info, tags, security schemes, shared error responses) plus the operations of its
//! API's routes, taken from the same registration that routes them (`crate::routes`: each
//! handler's `#[utoipa::path]`), so a document cannot list a route that is not served, nor miss
//! one that is. Schemas come from `plumb-proto`'s wire types (its `openapi` feature), so the
//! documents cannot describe a shape the code does not send.
//!
//! Both are built once, on first use, and served as JSON at `GET /v2/openapi.json` and
//! `GET /api/v1/openapi.json` (public: they hold no secret). The `/agent/v1` protocol is not
//! here; docs/agent-protocol.md describes it.

mod responses;
mod security;
mod v1;
mod v2;
mod webhooks;

use std::sync::LazyLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

pub use responses::{
    AccessDenied, BadRequest, Conflict, Forbidden, Invalid, NotFound, PayloadTooLarge, ReadOnlyKey,
    TooManyRequests, Unauthenticated,
};
pub use v1::V1Doc;
pub use v2::V2Doc;

use crate::routes::{Guarded, v1 as v1_routes, v2 as v2_routes};

/// The `/v2` document: [`V2Doc`] with the operations of the `/v2` routes, and the events
/// plumb sends (`webhooks`).
pub fn v2_document() -> Document {
    let mut document = document(V2Doc::openapi(), v2_routes::groups());
    webhooks::add(&mut document);
    security::KeyRateLimits.modify(&mut document);
    document
}

/// The `/api/v1` document: [`V1Doc`] with the operations of the `/api/v1` routes.
pub fn v1_document() -> Document {
    document(V1Doc::openapi(), v1_routes::groups())
}

static V2_JSON: LazyLock<String> = LazyLock::new(|| to_json(&v2_document()));
static V1_JSON: LazyLock<String> = LazyLock::new(|| to_json(&v1_document()));

/// `GET /v2/openapi.json`
#[utoipa::path(
    get,
    path = "/v2/openapi.json",
    operation_id = "showOpenApiDocument",
    tag = "OpenAPI",
    security(()),
    responses((status = 200, description = "This document.", content_type = "application/json")),
)]
pub async fn v2_openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], V2_JSON.as_str())
}

/// `GET /api/v1/openapi.json`
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "showOpenApiDocument",
    tag = "OpenAPI",
    security(()),
    responses((status = 200, description = "This document.", content_type = "application/json")),
)]
pub async fn v1_openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], V1_JSON.as_str())
}

/// A frame with the operations (and the schemas they use) of every group of its API's routes.
fn document(mut frame: Document, groups: Vec<Guarded>) -> Document {
    for group in groups {
        frame.merge(group.routes.into_openapi());
    }
    PutAliases.modify(&mut frame);
    frame
}

fn to_json(document: &Document) -> String {
    // A document built from our own types always serializes; an empty object would be a
    // visible failure in the snapshot tests rather than a crash in a request.
    serde_json::to_string(document).unwrap_or_else(|_| "{}".to_owned())
}

/// Updates accept PUT as well as PATCH, through the same handler: `method(patch, put)` gives
/// both operations the same `operationId`, which OpenAPI forbids, so the PUT one becomes
/// `<operationId>Put` and says it is the same operation.
struct PutAliases;

impl Modify for PutAliases {
    fn modify(&self, openapi: &mut Document) {
        for item in openapi.paths.paths.values_mut() {
            let (Some(patch), Some(put)) = (&item.patch, &mut item.put) else {
                continue;
            };
            if let Some(id) = &patch.operation_id
                && put.operation_id.as_ref() == Some(id)
            {
                put.operation_id = Some(format!("{id}Put"));
                put.summary = Some(format!("Same as PATCH ({id}): a partial update"));
            }
        }
    }
}
