//! The row types both stores read, written once, and their conversion into core records.
//!
//! SQLite and PostgreSQL return the same columns for the same `select`s; they differ only in
//! how a time arrives (SQLite keeps fixed-width UTC text, PostgreSQL `timestamptz`) and in how
//! a group's child ids are aggregated. Each row struct is generic over those stored forms
//! ([`StoredTime`], [`StoredIds`]) and derives `sqlx::FromRow` for any database whose driver
//! decodes them; each store names its own instances (`DeviceRow<String>` for SQLite,
//! `DeviceRow<OffsetDateTime>` for PostgreSQL). The `select` column lists that are the same SQL
//! on both backends live beside their row. A value that does not decode is reported as a
//! damaged database ([`damaged`]), never skipped.
#![warn(missing_docs)]

pub mod accounts;
pub mod activity;
pub mod automations;
pub mod codec;
pub mod devices;
pub mod keyset;
pub mod stored;

use plumb_core::StoreError;
use plumb_core::error::BoxError;

pub use stored::{StoredIds, StoredTime};

/// A stored value that does not decode: the database was edited by hand or is damaged.
#[derive(Debug, thiserror::Error)]
#[error("damaged value in the database: {0}")]
pub struct Damaged(pub String);

/// A `StoreError` for a value that does not decode.
pub fn damaged(what: impl Into<String>) -> StoreError {
    let error: BoxError = Box::new(Damaged(what.into()));
    StoreError::Unavailable(error)
}
