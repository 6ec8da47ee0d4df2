//! PostgreSQL through sqlx: running the store's statements, written once with SQLite's
//! placeholders, on a pool or inside a transaction.
//!
//! Statements are written with `?N` (and, in statements built at run time, bare `?`)
//! placeholders, which SQLite reads natively; [`numbered`] rewrites them to PostgreSQL's `$N`
//! with SQLite's own numbering rule, so both databases bind the same values to the same
//! places. Every parameter is bound with its type, so PostgreSQL never has to infer one.

use std::borrow::Cow;

use plumb_core::store::StoreResult;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, PgExecutor};

use super::column::{FromRow, Row};
use super::{Arg, error::postgres_error};

/// Rows of a statement.
pub(crate) async fn rows<'e, R: FromRow>(
    executor: impl PgExecutor<'e>,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<Vec<R>> {
    let sql = numbered(sql);
    let rows: Vec<PgRow> = sqlx::query_with(&sql, arguments(args)?)
        .fetch_all(executor)
        .await
        .map_err(postgres_error)?;
    rows.iter()
        .map(|row| R::from_row(&Row::Postgres(row)))
        .collect()
}

/// The first row of a statement, if any.
pub(crate) async fn first<'e, R: FromRow>(
    executor: impl PgExecutor<'e>,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<Option<R>> {
    let sql = numbered(sql);
    let row: Option<PgRow> = sqlx::query_with(&sql, arguments(args)?)
        .fetch_optional(executor)
        .await
        .map_err(postgres_error)?;
    row.as_ref()
        .map(|row| R::from_row(&Row::Postgres(row)))
        .transpose()
}

/// Runs a statement; returns the rows it changed.
pub(crate) async fn execute<'e>(
    executor: impl PgExecutor<'e>,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<u64> {
    let sql = numbered(sql);
    let done = sqlx::query_with(&sql, arguments(args)?)
        .execute(executor)
        .await
        .map_err(postgres_error)?;
    Ok(done.rows_affected())
}

/// The parameters in PostgreSQL's types.
fn arguments(args: &[Arg<'_>]) -> StoreResult<PgArguments> {
    let mut arguments = PgArguments::default();
    for arg in args {
        let added = match arg {
            Arg::Text(text) => arguments.add(*text),
            Arg::Owned(text) => arguments.add(text.as_deref()),
            Arg::Id(id) => arguments.add(id.map(|id| id.to_string())),
            Arg::Int(number) => arguments.add(*number),
            Arg::Bool(flag) => arguments.add(*flag),
            Arg::Bytes(bytes) => arguments.add(*bytes),
            Arg::Blob(bytes) => arguments.add(bytes.as_deref()),
            Arg::Time(time) => arguments.add(*time),
            Arg::Ids(ids) => arguments.add(ids.iter().map(ToString::to_string).collect::<Vec<_>>()),
        };
        added.map_err(plumb_core::StoreError::Unavailable)?;
    }
    Ok(arguments)
}

/// `sql` with SQLite's placeholders rewritten as PostgreSQL's: `?N` becomes `$N`, and a bare
/// `?` takes the number after the largest one so far (SQLite's rule). Quoted text and names
/// are left alone.
pub(crate) fn numbered(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(open) = quote {
            out.push(c);
            if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                    digits.push(digit);
                }
                let number = match digits.parse::<u32>() {
                    Ok(number) => number,
                    Err(_) => largest + 1,
                };
                largest = largest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders_keep_their_numbers() {
        assert_eq!(
            numbered("select * from t where a = ?2 and b = ?1 or c = ?2"),
            "select * from t where a = $2 and b = $1 or c = $2"
        );
        assert_eq!(numbered("select 1"), "select 1");
    }

    #[test]
    fn bare_placeholders_follow_sqlites_numbering() {
        assert_eq!(
            numbered("where a = ? and b = ? and c = ?1 and d = ?5 and e = ?"),
            "where a = $1 and b = $2 and c = $1 and d = $5 and e = $6"
        );
    }

    #[test]
    fn question_marks_inside_quotes_are_text() {
        assert_eq!(
            numbered("select '?', \"a?\" from t where x like ?1 escape '\\'"),
            "select '?', \"a?\" from t where x like $1 escape '\\'"
        );
    }
}
