//! Tests of the SQLite store itself rather than of the `Store` contract: opening files,
//! migrations, and what is kept on disk behind the trait.

use plumb_core::id::OrganizationId;
use plumb_core::store::{AccountStore, KeyStore};
use plumb_core::transfer::TABLES;
use plumb_store::{OpenMode, SqlStore};
use sqlx::{Connection, SqliteConnection};
use tempfile::TempDir;

use crate::support::{T0, activity, insert_key, tenant};

/// The URL of `plumb.db` in `directory`, which does not exist yet.
fn url(directory: &TempDir) -> String {
    format!("sqlite://{}", directory.path().join("plumb.db").display())
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
    let mut raw = SqliteConnection::connect(&url(&directory)).await.unwrap();
    let mode: String = sqlx::query_scalar("pragma journal_mode")
        .fetch_one(&mut raw)
        .await
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
    let mut raw = SqliteConnection::connect(&url(&directory)).await.unwrap();
    let (sealed, deleted_at): (Option<Vec<u8>>, Option<String>) =
        sqlx::query_as("select key_sealed, deleted_at from api_keys where id = ?1")
            .bind(id.to_string())
            .fetch_one(&mut raw)
            .await
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
    let mut raw = SqliteConnection::connect(&url(&directory)).await.unwrap();

    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_schema where type = 'table' \
         and name not like 'sqlite\\_%' escape '\\' and name not like '\\_sqlx%' escape '\\' \
         order by name",
    )
    .fetch_all(&mut raw)
    .await
    .unwrap();
    let mut listed: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
    listed.sort_unstable();
    assert_eq!(tables, listed);
    for table in TABLES {
        let columns: Vec<String> =
            sqlx::query_scalar("select name from pragma_table_info(?1) order by cid")
                .bind(table.name)
                .fetch_all(&mut raw)
                .await
                .unwrap();
        assert_eq!(columns, table.schema_columns(), "columns of {}", table.name);
    }
}
