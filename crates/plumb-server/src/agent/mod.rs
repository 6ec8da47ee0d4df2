//! The agent protocol, `/agent/v1` (docs/agent-protocol.md): enrollment with an install key
//! ([`enroll`]), and with the device token ([`auth`]) check-ins ([`checkin`]) and run reports
//! ([`runs`]). Logs name devices and runs by id, never a key or token.

pub mod auth;
pub mod body;
pub mod checkin;
pub mod enroll;
pub mod runs;

/// Largest enrollment or check-in body, in bytes (an inventory with many updates).
pub const INVENTORY_BODY_LIMIT: usize = 1024 * 1024;
/// Largest run report body, in bytes (50 steps of up to 64 KiB output, JSON-escaped).
pub const REPORT_BODY_LIMIT: usize = 8 * 1024 * 1024;
