//! Moving a whole installation between databases (`plumb db copy`), e.g. from the embedded
//! SQLite default to PostgreSQL when an MSP goes multi-node.
//!
//! The copy goes table by table in [`TABLES`] order (referenced tables first), as rows in a
//! backend-neutral form: one JSON object per row whose values are spelled the same way
//! whatever the backend ([`Kind`]). Each store implements [`Transfer`] with SQL of its own; this
//! module holds only the list of what a complete copy contains, so the two stores cannot
//! disagree about it (the conformance suite checks it against each backend's real columns).

use async_trait::async_trait;

use crate::store::StoreResult;

/// A row in the neutral form: column name to value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// How a column's value is spelled in a [`Row`] (null for SQL null, in every kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (ids, names, JSON kept as text).
    Text,
    /// A UTC time as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, like both stores).
    Time,
    /// Bytes as lower-case hex (digests, sealed copies, settings).
    Bytes,
    /// `true` or `false`.
    Bool,
    /// A 64-bit integer (counters).
    Int,
}

/// One table of a copy: its name, its primary key (rows are read in its order, never with
/// OFFSET) and every column.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// The primary key column.
    pub key: &'static str,
    /// Every column with its kind.
    pub columns: &'static [(&'static str, Kind)],
}

use Kind::{Bool, Bytes, Int, Text, Time};

/// Everything plumb keeps, referenced tables before the tables that reference them. Groups
/// reference groups: both stores defer that check to the end of the import transaction.
pub const TABLES: &[Table] = &[
    Table {
        name: "organizations",
        key: "id",
        columns: &[
            ("id", Text),
            ("name", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "users",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("permissions", Text),
            ("disabled", Bool),
            ("password_hash", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "settings",
        key: "name",
        columns: &[
            ("name", Text),
            ("value", Bytes),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "sessions",
        key: "digest",
        columns: &[
            ("digest", Bytes),
            ("user_id", Text),
            ("created_at", Time),
            ("expires_at", Time),
        ],
    },
    Table {
        name: "password_tokens",
        key: "digest",
        columns: &[
            ("digest", Bytes),
            ("user_id", Text),
            ("expires_at", Time),
            ("used_at", Time),
        ],
    },
    Table {
        name: "api_keys",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("description", Text),
            ("access", Text),
            ("key_digest", Bytes),
            ("key_hint", Text),
            ("key_sealed", Bytes),
            ("created_by", Text),
            ("created_at", Time),
            ("updated_at", Time),
            ("last_used_at", Time),
            ("last_used_ip", Text),
            ("last_used_user_agent", Text),
            ("success_count", Int),
            ("failure_count", Int),
            ("deleted_at", Time),
        ],
    },
    Table {
        name: "activity",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("actor_id", Text),
            ("actor_email", Text),
            ("action", Text),
            ("target_type", Text),
            ("target_id", Text),
            ("details", Text),
            ("ip", Text),
            ("created_at", Time),
        ],
    },
    Table {
        name: "groups",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("parent_id", Text),
            ("name", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "devices",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("group_id", Text),
            ("hostname", Text),
            ("created_at", Time),
            ("updated_at", Time),
            ("token_digest", Bytes),
            ("nickname", Text),
            ("notes", Text),
            ("serial_number", Text),
            ("maintenance_mode", Bool),
            ("online", Bool),
            ("last_seen_at", Time),
            ("offline_after", Time),
            ("public_ip_address", Text),
            ("inventory", Text),
        ],
    },
    Table {
        name: "tags",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("name", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "device_tags",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("device_id", Text),
            ("tag_id", Text),
            ("created_at", Time),
        ],
    },
    Table {
        name: "custom_fields",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("name", Text),
            ("admin_only", Bool),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "custom_field_values",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("custom_field_id", Text),
            ("group_id", Text),
            ("device_id", Text),
            ("value", Text),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "alerts",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("device_id", Text),
            ("name", Text),
            ("description", Text),
            ("payload", Text),
            ("severity", Text),
            ("started_at", Time),
            ("resolved_at", Time),
        ],
    },
    Table {
        name: "updates",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("device_id", Text),
            ("name", Text),
            ("category", Text),
            ("version", Text),
            ("size", Int),
            ("kb_ids", Text),
            ("is_available", Bool),
            ("error", Text),
            ("published_on", Time),
            ("installed_on", Time),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "install_keys",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("group_id", Text),
            ("key_digest", Bytes),
            ("key_hint", Text),
            ("created_at", Time),
            ("revoked_at", Time),
        ],
    },
    Table {
        name: "automations",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("name", Text),
            ("description", Text),
            ("group_id", Text),
            ("steps", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    },
    Table {
        name: "automation_webhooks",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("automation_id", Text),
            ("token_digest", Bytes),
            ("token_sealed", Bytes),
            ("authorization_digest", Bytes),
            ("created_at", Time),
        ],
    },
    Table {
        name: "automation_runs",
        key: "id",
        columns: &[
            ("id", Text),
            ("organization_id", Text),
            ("automation_id", Text),
            ("automation_name", Text),
            ("device_id", Text),
            ("device_hostname", Text),
            ("status", Text),
            ("steps", Text),
            ("results", Text),
            ("created_at", Time),
            ("started_at", Time),
            ("ended_at", Time),
        ],
    },
];

/// Reading and writing whole tables in the neutral form.
#[async_trait]
pub trait Transfer: Send + Sync {
    /// Up to `limit` rows of `table` in key order, after the row whose key is `after` (in its
    /// neutral spelling).
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>>;
    /// How many rows `table` holds.
    async fn count_rows(&self, table: &Table) -> StoreResult<u64>;
    /// Starts the one transaction an import runs in; nothing is visible before its commit.
    async fn begin_import(&self) -> StoreResult<Box<dyn Import>>;
}

/// An import in progress (one transaction).
#[async_trait]
pub trait Import: Send {
    /// Deletes every row of every table (for `--force`), dependants first.
    async fn clear(&mut self) -> StoreResult<()>;
    /// Inserts rows into a table.
    async fn insert_rows(&mut self, table: &Table, rows: &[Row]) -> StoreResult<()>;
    /// Commits everything inserted (references are checked here at the latest).
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// The neutral spelling of a row's key, to continue an export after it.
pub fn row_key(table: &Table, row: &Row) -> Option<String> {
    row.get(table.key)?.as_str().map(str::to_owned)
}
