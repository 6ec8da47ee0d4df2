//! The pieces of SQL that differ between SQLite and PostgreSQL, asked of an executor's
//! [`Dialect`] by the statements that need them, and the change feed's payloads.

use plumb_core::crypto::Digest;

/// Which SQL a database speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SQLite 3.46 (bundled).
    Sqlite,
    /// PostgreSQL 13 or later.
    Postgres,
}

impl Dialect {
    /// `column` is one of the ids bound (as [`super::Arg::Ids`]) at `placeholder`: SQLite
    /// unpacks a JSON array, PostgreSQL compares with a `text[]`.
    pub(crate) fn any(self, column: &str, placeholder: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} in (select value from json_each({placeholder}))"),
            Dialect::Postgres => format!("{column} = any({placeholder})"),
        }
    }

    /// The case-insensitive `like`. SQLite's folds ASCII letters only; PostgreSQL's `ilike`
    /// folds by the database's locale, a superset (the contract promises ASCII only).
    pub(crate) fn ilike(self) -> &'static str {
        match self {
            Dialect::Sqlite => "like",
            Dialect::Postgres => "ilike",
        }
    }

    /// Row locks for a `select` inside a write transaction: SQLite's transaction already
    /// holds the database's write lock.
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " for update",
        }
    }

    /// Shared row locks on the rows of `of` (a table or alias of the `select`) for the rest of
    /// a write transaction: no other transaction changes or deletes them meanwhile, though
    /// others may share the lock. SQLite's transaction already holds the database's write
    /// lock.
    pub(crate) fn for_share(self, of: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!(" for share of {of}"),
        }
    }

    /// The elements of the JSON array bound (as text) at `placeholder`, as a `from` item whose
    /// column `value` is each element, which `value ->> 0` reads into on both databases:
    /// SQLite's `json_each`, PostgreSQL's `json_array_elements`.
    pub(crate) fn json_elements(self, placeholder: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({placeholder})"),
            Dialect::Postgres => format!("json_array_elements(cast({placeholder} as json))"),
        }
    }
}

/// The change feed's payload for an inventory write (groups or devices).
pub(crate) const GROUPS_CHANGED: &str = "g";

/// The change feed's payload for a changed key: its digest in hex, never the key.
pub(crate) fn key_changed(digest: &Digest) -> String {
    format!("k:{}", hex::encode(digest.0))
}
