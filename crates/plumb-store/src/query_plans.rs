//! The plans the databases choose for the statements that must stay cheap on large tables: a
//! page of `/v2/activities` reads the partial index of changes (migration 9), not every
//! sign-in, on both databases.

use plumb_core::page::Cursor;
use plumb_store_tests::TestSchema;
use sqlx::{Connection, PgConnection, Row};

use crate::activity::changes_sql;
use crate::keyset::Keyset;
use crate::{OpenMode, SqlStore};

#[tokio::test]
async fn sqlite_pages_changes_through_the_partial_index() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plumb.db");
    let store = SqlStore::sqlite(
        &format!("sqlite://{}", path.display()),
        OpenMode::CreateIfMissing,
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    store.close().await;

    let raw = rusqlite::Connection::open(&path).unwrap();
    for cursor in [Cursor::First, Cursor::After(1), Cursor::Before(1)] {
        let sql = changes_sql(&Keyset::of(&cursor));
        // Unbound parameters are null: the plan does not depend on them.
        let mut statement = raw.prepare(&format!("explain query plan {sql}")).unwrap();
        let mut rows = statement.raw_query();
        let mut plan: Vec<String> = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            plan.push(row.get(3).unwrap());
        }
        assert!(
            plan.iter()
                .any(|step| step.contains("activity_changes_idx")),
            "{cursor:?}: {plan:?}"
        );
    }
}

#[tokio::test]
async fn postgresql_can_page_changes_through_the_partial_index() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let store = SqlStore::postgres(&schema.url()).await.unwrap();
    store.migrate().await.unwrap();
    store.close().await;

    let mut raw = PgConnection::connect(&schema.url()).await.unwrap();
    // A fresh table is too small for the planner to prefer an index on its own.
    sqlx::query("set enable_seqscan = off")
        .execute(&mut raw)
        .await
        .unwrap();
    let sql = crate::db::numbered(&changes_sql(&Keyset::of(&Cursor::After(1)))).into_owned();
    let plan: Vec<String> = sqlx::query(&format!("explain {sql}"))
        .bind(uuid::Uuid::nil().to_string())
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
    schema.drop_schema().await;
}
