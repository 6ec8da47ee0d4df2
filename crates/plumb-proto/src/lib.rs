//! Wire types: the JSON bodies of `/v2`, `/api/v1` and the error envelope.
//!
//! This crate is the one definition of plumb's wire format, shared by the server, the client and
//! the CLI. It holds plain data and serde attributes only: no I/O, no validation rules (those live
//! in `plumb-core`), no HTTP types.

pub mod agent;
pub mod error;
pub mod inventory;
pub mod timestamp;
pub mod v1;
pub mod v2;

pub use error::{ErrorBody, ErrorCode};

use serde::{Deserialize, Deserializer};

/// Deserializes a field that distinguishes "absent" (`None`) from "explicitly null"
/// (`Some(None)`), for PATCH bodies. Use with `#[serde(default, deserialize_with = ...)]`.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
