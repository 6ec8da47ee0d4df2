//! The pieces of SQL that differ between SQLite and PostgreSQL, asked of an executor's
//! [`Dialect`] by the statements that need them.

use plumb_core::transfer::Kind;

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

    /// The rows of a JSON array bound as text at `placeholder`, each in a column `value`
    /// (read fields with `value ->> 'name'`, which is text on PostgreSQL: cast numbers and
    /// flags, and read times with [`Dialect::time_of`]).
    pub(crate) fn json_rows(self, placeholder: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({placeholder})"),
            Dialect::Postgres => format!("json_array_elements(cast({placeholder} as json))"),
        }
    }

    /// A time from its stored text spelling (`crate::stored::time_text`), e.g. a
    /// field of [`Dialect::json_rows`]: SQLite keeps that text, PostgreSQL parses it.
    pub(crate) fn time_of(self, text: &str) -> String {
        match self {
            Dialect::Sqlite => text.to_owned(),
            Dialect::Postgres => format!("cast({text} as timestamptz)"),
        }
    }

    /// A JSON array of the values of `items` (SQL expressions).
    pub(crate) fn json_array(self, items: &[&str]) -> String {
        match self {
            Dialect::Sqlite => format!("json_array({})", items.join(", ")),
            Dialect::Postgres => format!("json_build_array({})", items.join(", ")),
        }
    }

    /// The JSON array text of `expression` over a group's rows (null or `[]` for none).
    pub(crate) fn json_array_of(self, expression: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_group_array({expression})"),
            Dialect::Postgres => format!("cast(json_agg({expression}) as text)"),
        }
    }

    /// `a` equals `b`, two nulls included.
    pub(crate) fn same(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{a} is {b}"),
            Dialect::Postgres => format!("{a} is not distinct from {b}"),
        }
    }

    /// A flag column is true, spelled as a partial index's predicate spells it (SQLite's
    /// planner uses `devices_offline_after_idx` only for the very term `online = 1`).
    pub(crate) fn is_true(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} = 1"),
            Dialect::Postgres => column.to_owned(),
        }
    }

    /// A flag column that is false, in the spelling of the partial indexes on it.
    pub(crate) fn is_false(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} = 0"),
            Dialect::Postgres => format!("not {column}"),
        }
    }

    /// `column` as text in the neutral spelling of `plumb db copy` (`plumb_core::transfer`):
    /// times as fixed-width UTC text, bytes as lower-case hex, flags and counters as text.
    pub(crate) fn neutral_text(self, column: &str, kind: Kind) -> String {
        match (self, kind) {
            (_, Kind::Text) => column.to_owned(),
            (_, Kind::Bool | Kind::Int) => format!("cast({column} as text)"),
            (Dialect::Sqlite, Kind::Time) => column.to_owned(),
            (Dialect::Postgres, Kind::Time) => {
                format!("to_char({column} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
            }
            // hex() of null is '', not null.
            (Dialect::Sqlite, Kind::Bytes) => {
                format!("case when {column} is null then null else lower(hex({column})) end")
            }
            (Dialect::Postgres, Kind::Bytes) => format!("encode({column}, 'hex')"),
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

    /// Row locks that pass over rows another transaction holds instead of waiting for them, so
    /// several nodes claiming work from one table each take different rows (the event
    /// webhooks' outbox). SQLite has one writer, which never meets a locked row.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " for update skip locked",
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
}
