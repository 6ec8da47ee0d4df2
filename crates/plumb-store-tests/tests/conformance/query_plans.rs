//! The plans the databases choose for the shared SQL that must stay cheap on large tables:
//! a page of `/v2/activities` reads the partial index of changes, not every sign-in.

use plumb_core::page::Cursor;
use plumb_core::store::KeyStore;
use plumb_store::{OpenMode, SqlStore};
use plumb_store_rows::activity::changes_sql;
use plumb_store_rows::keyset::Keyset;
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

use crate::support::{PgDatabase, activity, tenant};

#[tokio::test]
async fn sqlite_pages_changes_through_the_partial_index() {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("plumb.db").display());
    let store = SqlStore::sqlite(&url, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let acme = tenant(&store, "acme").await;
    store
        .insert_activity(&activity(acme.id, "session.signed_in"))
        .await
        .unwrap();
    store.close().await;

    let mut raw = SqliteConnection::connect(&url).await.unwrap();
    for cursor in [Cursor::First, Cursor::After(1), Cursor::Before(1)] {
        let sql = changes_sql(&Keyset::of(&cursor));
        let plan: Vec<String> = sqlx::query(&format!("explain query plan {sql}"))
            .fetch_all(&mut raw)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<String, _>("detail"))
            .collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("activity_changes_idx")),
            "{cursor:?}: {plan:?}"
        );
    }
}

#[tokio::test]
async fn postgresql_can_page_changes_through_the_partial_index() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let acme = tenant(database.store(), "acme").await;

    let mut raw = PgConnection::connect(&database.url()).await.unwrap();
    // A fresh table is too small for the planner to prefer an index on its own.
    sqlx::query("set enable_seqscan = off")
        .execute(&mut raw)
        .await
        .unwrap();
    let sql = changes_sql(&Keyset::of(&Cursor::After(1))).replacen('?', "$1", 1);
    let sql = sql.replacen('?', "$2", 1).replacen('?', "$3", 1);
    let plan: Vec<String> = sqlx::query(&format!("explain {sql}"))
        .bind(acme.id.to_string())
        .bind("0")
        .bind(21_i64)
        .fetch_all(&mut raw)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
    assert!(
        plan.iter()
            .any(|step| step.contains("activity_changes_idx")),
        "{plan:?}"
    );
    raw.close().await.unwrap();
    database.close().await;
}
