//! The agent protocol, `/agent/v1` (docs/agent-protocol.md): enrollment with an install key,
//! check-ins and run reports with the device token. Agent bodies may be larger than the API's
//! 64 KiB (inventories, step output): each row sets its own limit.

use axum::extract::DefaultBodyLimit;
use axum::http::Method as M;

use super::Guard::{Device, Token};
use super::{Row, row};
use crate::agent::{INVENTORY_BODY_LIMIT, REPORT_BODY_LIMIT, checkin, enroll, runs};

/// The rows.
pub(super) fn table() -> Vec<Row> {
    vec![
        limited(
            row(M::POST, "/agent/v1/enroll", Token, enroll::enroll),
            INVENTORY_BODY_LIMIT,
        ),
        limited(
            row(M::POST, "/agent/v1/checkin", Device, checkin::check_in),
            INVENTORY_BODY_LIMIT,
        ),
        limited(
            row(M::POST, "/agent/v1/runs/{id}", Device, runs::report_run),
            REPORT_BODY_LIMIT,
        ),
    ]
}

fn limited(mut row: Row, limit: usize) -> Row {
    row.handler = row.handler.layer(DefaultBodyLimit::max(limit));
    row
}
