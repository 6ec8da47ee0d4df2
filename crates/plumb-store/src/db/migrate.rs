//! The migrations in `plumb-store/migrations/{sqlite,postgres}/`, embedded at build time, and
//! applying the ones a database has not run yet: at startup and with `plumb migrate`.
//!
//! PostgreSQL runs them with sqlx's migrator, which serialises several nodes starting at once
//! with an advisory lock. SQLite runs them here, on the writer connection, keeping the same
//! bookkeeping table as sqlx (`_sqlx_migrations`: version, description, success, checksum,
//! execution time), so a database created by an earlier plumb, when SQLite too went through
//! sqlx, migrates on as before. Each migration runs in its own transaction with its record; a
//! migration changed after it was applied, or one the database has but this plumb does not
//! know (a newer plumb wrote it), stops the migration with an error that says so.

use std::collections::BTreeMap;
use std::time::Instant;

use plumb_core::StoreError;
use plumb_core::store::StoreResult;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sqlx::PgPool;
use sqlx::migrate::Migrator;

use super::error::sqlite_error;
use super::sqlite::SqlitePool;

/// The SQLite schema's history.
static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL schema's history (the same file names, checked by a test).
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// sqlx's bookkeeping table, as its SQLite migrator creates it.
const BOOKKEEPING: &str = "create table if not exists _sqlx_migrations ( \
    version bigint primary key, \
    description text not null, \
    installed_on timestamp not null default current_timestamp, \
    success boolean not null, \
    checksum blob not null, \
    execution_time bigint not null)";

/// Applies PostgreSQL's pending migrations.
pub(crate) async fn postgres(pool: &PgPool) -> StoreResult<()> {
    POSTGRES
        .run(pool)
        .await
        .map_err(|error| StoreError::Unavailable(Box::new(error)))?;
    tracing::debug!("postgres migrations applied");
    Ok(())
}

/// Applies SQLite's pending migrations.
pub(crate) async fn sqlite(pool: &SqlitePool) -> StoreResult<()> {
    pool.with_writer(|connection| {
        connection
            .execute_batch(BOOKKEEPING)
            .map_err(sqlite_error)?;
        let failed: Option<i64> = connection
            .query_row(
                "select version from _sqlx_migrations where not success order by version limit 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(sqlite_error)?;
        if let Some(version) = failed {
            return Err(refused(format!(
                "migration {version} failed part-way earlier; restore a backup"
            )));
        }
        let applied = applied(connection)?;
        if let Some(unknown) = applied.keys().find(|version| {
            !SQLITE
                .iter()
                .any(|migration| migration.version == **version)
        }) {
            return Err(refused(format!(
                "the database has migration {unknown}, which this plumb does not know: \
                 it was written by a newer version"
            )));
        }
        for migration in SQLITE.iter() {
            if migration.migration_type.is_down_migration() {
                continue;
            }
            match applied.get(&migration.version) {
                Some(checksum) if checksum.as_slice() == &*migration.checksum => {}
                Some(_) => {
                    return Err(refused(format!(
                        "migration {} ({}) was changed after it was applied",
                        migration.version, migration.description
                    )));
                }
                None => {
                    let started = Instant::now();
                    let tx = connection
                        .transaction_with_behavior(TransactionBehavior::Immediate)
                        .map_err(sqlite_error)?;
                    tx.execute_batch(&migration.sql).map_err(sqlite_error)?;
                    let elapsed = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
                    tx.execute(
                        "insert into _sqlx_migrations \
                         (version, description, success, checksum, execution_time) \
                         values (?1, ?2, true, ?3, ?4)",
                        params![
                            migration.version,
                            &*migration.description,
                            &*migration.checksum,
                            elapsed
                        ],
                    )
                    .map_err(sqlite_error)?;
                    tx.commit().map_err(sqlite_error)?;
                    tracing::info!(
                        version = migration.version,
                        "applied migration {}",
                        migration.description
                    );
                }
            }
        }
        Ok(())
    })
    .await
}

/// The checksums of the applied migrations, by version.
fn applied(connection: &rusqlite::Connection) -> StoreResult<BTreeMap<i64, Vec<u8>>> {
    let mut statement = connection
        .prepare("select version, checksum from _sqlx_migrations order by version")
        .map_err(sqlite_error)?;
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(sqlite_error)?;
    rows.collect::<Result<_, _>>().map_err(sqlite_error)
}

fn refused(message: String) -> StoreError {
    StoreError::Unavailable(message.into())
}
