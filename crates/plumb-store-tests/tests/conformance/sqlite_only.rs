//! Tests of the SQLite store itself rather than of the `Store` contract: opening files,
//! migrations, and what is kept on disk behind the trait.

use plumb_core::id::OrganizationId;
use plumb_core::store::{AccountStore, KeyStore};
use plumb_core::transfer::TABLES;
use plumb_store::{OpenMode, SqlStore};
use rusqlite::Connection;
use sha2::{Digest as _, Sha384};
use tempfile::TempDir;

use crate::support::{T0, activity, insert_key, tenant};

/// The URL of `plumb.db` in `directory`, which does not exist yet.
fn url(directory: &TempDir) -> String {
    format!("sqlite://{}", directory.path().join("plumb.db").display())
}

/// A plain connection to `plumb.db` in `directory`, to look past the store.
fn raw(directory: &TempDir) -> Connection {
    Connection::open(directory.path().join("plumb.db")).unwrap()
}

#[tokio::test]
async fn opening_a_missing_file_without_create_fails_and_creates_nothing() {
    let directory = tempfile::tempdir().unwrap();

    let connected = SqlStore::sqlite(&url(&directory), OpenMode::Existing).await;
    let opened = SqlStore::sqlite(&url(&directory), OpenMode::Existing).await;

    assert!(connected.is_err());
    assert!(opened.is_err());
    assert!(!directory.path().join("plumb.db").exists());
}

#[tokio::test]
async fn mode_rwc_in_the_url_creates_the_file() {
    let directory = tempfile::tempdir().unwrap();

    let store = SqlStore::sqlite(&format!("{}?mode=rwc", url(&directory)), OpenMode::Existing)
        .await
        .unwrap();

    store.migrate().await.unwrap();
    store.close().await;
    assert!(directory.path().join("plumb.db").exists());
}

#[tokio::test]
async fn migrating_twice_is_harmless_and_keeps_data() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let acme = tenant(&store, "acme").await;

    store.migrate().await.unwrap();

    assert_eq!(store.organization(acme.id).await.unwrap().name, "acme");
    store.close().await;
}

#[tokio::test]
async fn a_reopened_database_keeps_its_data_and_journal_mode() {
    // Arrange
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let acme = tenant(&store, "acme").await;
    store.close().await;

    // Act
    let reopened = SqlStore::sqlite(&url(&directory), OpenMode::Existing)
        .await
        .unwrap();
    reopened.migrate().await.unwrap();

    // Assert
    assert_eq!(reopened.organization(acme.id).await.unwrap().name, "acme");
    reopened.close().await;
    let mode: String = raw(&directory)
        .query_row("pragma journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn a_store_refuses_work_after_close() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();

    store.close().await;

    assert!(store.ping().await.is_err());
    assert!(store.organization(OrganizationId::new()).await.is_err());
}

#[tokio::test]
async fn deleting_a_key_erases_its_sealed_copy_on_disk() {
    // Arrange
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let acme = tenant(&store, "acme").await;
    let id = insert_key(&store, &acme, "doomed", 1, T0).await;

    // Act
    store
        .delete_api_key(acme.id, id, T0, &activity(acme.id, "api_key.deleted"))
        .await
        .unwrap();
    store.close().await;

    // Assert: the row stays (its digest is never reused) but holds no sealed copy.
    let (sealed, deleted_at): (Option<Vec<u8>>, Option<String>) = raw(&directory)
        .query_row(
            "select key_sealed, deleted_at from api_keys where id = ?1",
            [id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(sealed, None);
    assert_eq!(deleted_at.as_deref(), Some("2026-11-23T12:00:00.000000Z"));
}

#[tokio::test]
async fn the_copy_table_list_names_every_table_and_column_of_the_schema() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    let raw = raw(&directory);

    let strings = |sql: &str, argument: &str| -> Vec<String> {
        let mut statement = raw.prepare(sql).unwrap();
        let rows = statement.query_map([argument], |row| row.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let tables = strings(
        "select name from sqlite_schema where type = ?1 \
         and name not like 'sqlite\\_%' escape '\\' and name not like '\\_sqlx%' escape '\\' \
         order by name",
        "table",
    );
    let mut listed: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
    listed.sort_unstable();
    assert_eq!(tables, listed);
    for table in TABLES {
        // By name: a copy names its columns, and a migration may place a column before others
        // (`devices.summary` precedes the inventory on SQLite).
        let columns = strings(
            "select name from pragma_table_info(?1) order by name",
            table.name,
        );
        let mut listed = table.schema_columns();
        listed.sort_unstable();
        assert_eq!(columns, listed, "columns of {}", table.name);
    }
}

#[tokio::test]
async fn migrations_are_recorded_as_sqlx_recorded_them_so_older_databases_migrate_on() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.close().await;

    // Each row as sqlx's SQLite migrator writes it: the version and description from the file
    // name, success, and the SHA-384 of the file's text.
    let sources =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../plumb-store/migrations/sqlite");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&sources)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let raw = raw(&directory);
    let mut statement = raw
        .prepare(
            "select version, description, success, checksum from _sqlx_migrations order by version",
        )
        .unwrap();
    let rows: Vec<(i64, String, bool, Vec<u8>)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), files.len());
    for ((version, description, success, checksum), file) in rows.iter().zip(&files) {
        let name = file.file_stem().unwrap().to_string_lossy();
        let (file_version, file_description) = name.split_once('_').unwrap();
        assert_eq!(version.to_string(), file_version);
        assert_eq!(description, &file_description.replace('_', " "));
        assert!(success);
        let text = std::fs::read_to_string(file).unwrap();
        assert_eq!(
            checksum.as_slice(),
            Sha384::digest(text.as_bytes()).as_slice()
        );
    }
}

#[tokio::test]
async fn a_migration_changed_after_it_was_applied_stops_the_migration_with_a_reason() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    raw(&directory)
        .execute("update _sqlx_migrations set checksum = x'00' where version = (select min(version) from _sqlx_migrations)", [])
        .unwrap();

    let error = store.migrate().await.unwrap_err();

    assert!(
        format!("{:?}", error).contains("was changed after it was applied"),
        "{error:?}"
    );
    store.close().await;
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_plumb_is_refused_with_a_reason() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::sqlite(&url(&directory), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    raw(&directory)
        .execute(
            "insert into _sqlx_migrations (version, description, success, checksum, execution_time) \
             values (99991231000000, 'from the future', true, x'00', 0)",
            [],
        )
        .unwrap();

    let error = store.migrate().await.unwrap_err();

    assert!(
        format!("{:?}", error).contains("newer version"),
        "{error:?}"
    );
    store.close().await;
}
