//! Reading rows the same way from both databases: [`Row`] wraps a row of either driver,
//! [`Column`] decodes one value into a Rust type, and [`FromRow`] turns a whole row into a
//! record. Store code reads a row's columns in `select` order through [`Columns::next`], so a
//! decoder is written once, beside its `select`.
//!
//! SQLite keeps times as fixed-width UTC text and flags as integers; PostgreSQL has
//! `timestamptz` and `boolean`. Each [`Column`] impl knows both spellings. A value that does
//! not decode is a damaged database ([`damaged`]), never skipped.
//!
//! JSON documents kept in `text` columns are read as [`Json`]: deserialized straight from the
//! driver's borrowed text, without copying it into a `String` first.

use crate::codec::damaged;
use crate::stored::parse_time;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::*;
use plumb_core::store::StoreResult;
use rusqlite::types::ValueRef;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgRow;
use sqlx::{Row as _, ValueRef as _};
use time::OffsetDateTime;
use uuid::Uuid;

use super::time_text;

/// One row of a result, from either database.
pub(crate) enum Row<'r> {
    /// A row of a SQLite statement.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A row from PostgreSQL.
    Postgres(&'r PgRow),
}

impl<'r> Row<'r> {
    /// A reader of this row's columns from the first one on.
    pub(crate) fn columns(&'r self) -> Columns<'r> {
        Columns { row: self, next: 0 }
    }

    /// How many columns the row has.
    pub(crate) fn len(&self) -> usize {
        match self {
            Row::Sqlite(row) => row.as_ref().column_count(),
            Row::Postgres(row) => row.len(),
        }
    }

    /// The value of column `index`.
    pub(crate) fn get<T: Column>(&self, index: usize) -> StoreResult<T> {
        match self {
            Row::Sqlite(row) => {
                let value = row
                    .get_ref(index)
                    .map_err(|_| damaged(format!("column {index} is missing")))?;
                T::from_sqlite(value)
            }
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

/// Reads a row's columns in order.
pub(crate) struct Columns<'r> {
    row: &'r Row<'r>,
    next: usize,
}

impl Columns<'_> {
    /// The next column's value.
    pub(crate) fn next<T: Column>(&mut self) -> StoreResult<T> {
        let value = self.row.get(self.next);
        self.next += 1;
        value
    }
}

/// A record read from one row.
pub(crate) trait FromRow: Sized + Send {
    /// Decodes the row; a value that does not decode is a damaged database.
    fn from_row(row: &Row<'_>) -> StoreResult<Self>;
}

/// A single column is a row of one value (`select count(*)`, `select id`).
impl<T: Column + Send> FromRow for T {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        row.get(0)
    }
}

impl<A: Column + Send, B: Column + Send> FromRow for (A, B) {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?))
    }
}

impl<A: Column + Send, B: Column + Send, C: Column + Send> FromRow for (A, B, C) {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}

impl<A, B, C, D> FromRow for (A, B, C, D)
where
    A: Column + Send,
    B: Column + Send,
    C: Column + Send,
    D: Column + Send,
{
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    }
}

/// A value of one column.
pub(crate) trait Column: Sized {
    /// From SQLite's value.
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self>;
    /// From column `index` of a PostgreSQL row.
    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self>;
}

/// Reads a PostgreSQL value with sqlx's own decoding.
fn postgres<'r, T>(row: &'r PgRow, index: usize, what: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get::<T, _>(index)
        .map_err(|error| damaged(format!("{what} in column {index}: {error}")))
}

fn unexpected(what: &str, value: ValueRef<'_>) -> StoreError {
    damaged(format!("expected {what}, found {}", value.data_type()))
}

impl Column for String {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Text(bytes) => {
                String::from_utf8(bytes.to_vec()).map_err(|_| damaged("text that is not UTF-8"))
            }
            other => Err(unexpected("text", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        postgres(row, index, "text")
    }
}

impl Column for i64 {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Integer(number) => Ok(number),
            other => Err(unexpected("an integer", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        postgres(row, index, "bigint")
    }
}

/// Counters and sizes: never negative.
impl Column for u64 {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        crate::codec::parse_count(i64::from_sqlite(value)?)
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        crate::codec::parse_count(i64::from_postgres(row, index)?)
    }
}

impl Column for bool {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Integer(number) => Ok(number != 0),
            other => Err(unexpected("a flag", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        postgres(row, index, "boolean")
    }
}

impl Column for Vec<u8> {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Blob(bytes) => Ok(bytes.to_vec()),
            other => Err(unexpected("bytes", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        postgres(row, index, "bytea")
    }
}

impl Column for OffsetDateTime {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Text(bytes) => match time_text::parse(bytes) {
                Some(time) => Ok(time),
                // Not the one spelling: the general parser says what is wrong.
                None => parse_time(std::str::from_utf8(bytes).map_err(|_| damaged("time text"))?),
            },
            other => Err(unexpected("a time", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        postgres(row, index, "timestamptz")
    }
}

impl Column for Uuid {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Text(bytes) => {
                Uuid::try_parse_ascii(bytes).map_err(|_| damaged("an id that is not a UUID"))
            }
            other => Err(unexpected("an id", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        let text: &str = postgres(row, index, "id")?;
        Uuid::try_parse(text).map_err(|_| damaged(format!("id {text:?}")))
    }
}

impl Column for Digest {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Blob(bytes) => crate::codec::parse_digest(bytes),
            other => Err(unexpected("a digest", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        let bytes: &[u8] = postgres(row, index, "digest")?;
        crate::codec::parse_digest(bytes)
    }
}

impl<T: Column> Column for Option<T> {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_sqlite(other).map(Some),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        let raw = row
            .try_get_raw(index)
            .map_err(|error| damaged(format!("column {index}: {error}")))?;
        if raw.is_null() {
            return Ok(None);
        }
        T::from_postgres(row, index).map(Some)
    }
}

/// A JSON document kept as text, decoded into `T`.
pub(crate) struct Json<T>(pub(crate) T);

impl<T: DeserializeOwned> Json<T> {
    /// Decodes a document; one that is not a `T` is a damaged database.
    pub(crate) fn from_text(text: &str) -> StoreResult<Self> {
        serde_json::from_str(text).map(Json).map_err(|error| {
            damaged(format!(
                "a JSON document that is not a {}: {error}",
                std::any::type_name::<T>()
            ))
        })
    }
}

impl<T: DeserializeOwned> Column for Json<T> {
    fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
        match value {
            // The row's own bytes, checked as UTF-8 in one pass: serde_json's byte reader
            // would check every string it reads on its own, which costs more than the whole
            // document at once.
            ValueRef::Text(bytes) => Self::from_text(
                std::str::from_utf8(bytes).map_err(|_| damaged("JSON text that is not UTF-8"))?,
            ),
            other => Err(unexpected("JSON text", other)),
        }
    }

    fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
        Self::from_text(postgres(row, index, "JSON text")?)
    }
}

/// Every typed id is its UUID's text.
macro_rules! id_columns {
    ($($id:ident),+) => {
        $(
            impl Column for $id {
                fn from_sqlite(value: ValueRef<'_>) -> StoreResult<Self> {
                    Uuid::from_sqlite(value).map($id)
                }

                fn from_postgres(row: &PgRow, index: usize) -> StoreResult<Self> {
                    Uuid::from_postgres(row, index).map($id)
                }
            }
        )+
    };
}

id_columns!(
    OrganizationId,
    UserId,
    ApiKeyId,
    ActivityId,
    ApiKeyRequestId,
    GroupId,
    DeviceId,
    TagId,
    CustomFieldId,
    AlertId,
    UpdateId,
    InstallKeyId,
    AutomationId,
    EventId,
    EndpointId,
    AttemptId,
    WebhookId,
    RunId,
    LinkId
);
