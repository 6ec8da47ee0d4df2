//! The agent protocol, `/agent/v1` (docs/agent-protocol.md): enrollment with an install key,
//! check-ins and run reports with the device token.

use super::Route;

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![]
}
