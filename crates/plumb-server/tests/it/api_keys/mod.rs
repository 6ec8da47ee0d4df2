//! The `/api/v1/api-keys` resource and the activity log it writes, one module per theme.

mod access;
mod activity;
mod changes_by_key;
mod changes_by_key_more;
mod lifecycle;
mod rate_limits;
mod request_log;
mod revocation;
mod rotation;
mod rules;
mod usage;
