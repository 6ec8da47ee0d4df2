//! JSON handlers: `v1` is the management API (sessions, users, API keys, activity), `v2` the
//! public Level-compatible API. Handlers parse input into core types, make one call into
//! `plumb-core`, and map the result to `plumb-proto` types.

pub mod v1;
pub mod v2;
