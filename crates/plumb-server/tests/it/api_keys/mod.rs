//! The `/api/v1/api-keys` resource and the activity log it writes, one module per theme.

mod access;
mod activity;
mod lifecycle;
mod rate_limits;
mod request_log;
mod revocation;
mod rotation;
mod rules;
mod usage;
