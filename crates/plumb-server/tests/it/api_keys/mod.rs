//! The `/api/v1/api-keys` resource and the activity log it writes, one module per theme.

mod access;
mod activity;
mod lifecycle;
mod usage;
