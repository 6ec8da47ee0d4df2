//! What the resource commands share: calls to `/api/v1` by path segments with JSON in and
//! out (a 204 reads as `{"ok": true}`), and the two ways of answering, a table or a line for
//! people, the server's JSON with `--json`.

use std::io::Write;

use plumb_client::Method;
use serde_json::{Value, json};

use super::credentials::Connection;
use super::format::clean;
use super::manage::{print_json, rows, table};

/// `/api/v1` over one connection.
pub(crate) struct Api<'a> {
    connection: &'a Connection,
}

impl<'a> Api<'a> {
    pub(crate) fn new(connection: &'a Connection) -> Self {
        Self { connection }
    }

    /// `GET /api/v1/<segments>?<query>`.
    pub(crate) async fn get(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> anyhow::Result<Value> {
        self.connection
            .client
            .get_json::<Value>(segments, query)
            .await
            .map_err(|error| self.connection.error(error))
    }

    /// A write; a 204 answers `{"ok": true}`.
    pub(crate) async fn write(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        self.connection
            .client
            .write_json(method, segments, body)
            .await
            .map(|answer| answer.unwrap_or_else(|| json!({"ok": true})))
            .map_err(|error| self.connection.error(error))
    }
}

/// A list answer (`{"data": [...]}`) as a table of `fields`, or its JSON.
pub(crate) fn show(
    out: &mut dyn Write,
    json_out: bool,
    answer: &Value,
    fields: &[&str],
    header: &[&str],
    empty: &str,
) -> anyhow::Result<()> {
    if json_out {
        return print_json(out, answer);
    }
    table(out, header, &rows(&answer["data"], fields), empty)
}

/// A write's answer as one line for people, or its JSON.
pub(crate) fn say(
    out: &mut dyn Write,
    json_out: bool,
    answer: &Value,
    line: &str,
) -> anyhow::Result<()> {
    if json_out {
        return print_json(out, answer);
    }
    writeln!(out, "{line}")?;
    Ok(())
}

/// A JSON string as cleaned text for a line (`--` when absent).
pub(crate) fn text(value: &Value) -> String {
    clean(value.as_str().unwrap_or("--"), 80)
}
