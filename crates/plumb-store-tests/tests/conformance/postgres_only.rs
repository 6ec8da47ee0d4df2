//! Tests of the PostgreSQL store itself rather than of the `Store` contract: several stores
//! (nodes) on one schema, the key change feed, and what is kept behind the trait.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use plumb_core::coherence::ChangeSink;
use plumb_core::crypto::Digest;
use plumb_core::store::{ApiKeyChange, KeyStore, KeyUsageDelta};
use plumb_core::transfer::TABLES;
use plumb_core::{Access, Store};
use plumb_store::SqlStore;
use sqlx::{Connection, PgConnection};

use crate::support::{PgDatabase, T0, activity, digest, insert_key, minutes, secret, tenant};

#[tokio::test]
async fn migrating_twice_is_harmless_and_keeps_data() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let acme = tenant(database.store(), "acme").await;

    database.sql_store().migrate().await.unwrap();

    let name = database.store().organization(acme.id).await.unwrap().name;
    assert_eq!(name, "acme");
    database.close().await;
}

#[tokio::test]
async fn concurrent_usage_flushes_from_two_nodes_keep_the_latest_time() {
    // Arrange: two stores (nodes) on one schema, and one key.
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let other_node = SqlStore::postgres(&database.url()).await.unwrap();
    let acme = tenant(database.store(), "acme").await;
    let id = insert_key(database.store(), &acme, "shared", 1, T0).await;
    let delta = |at: i64, ip: &str| KeyUsageDelta {
        id,
        last_used_at: minutes(at),
        last_ip: Some(ip.to_owned()),
        last_user_agent: None,
        successes: 1,
        failures: 0,
    };

    // Act: the node that saw the latest request sometimes flushes first, sometimes last.
    for round in 0..10_i64 {
        let (newer, older) = ([delta(100 + round, "10.0.0.2")], [delta(round, "10.0.0.1")]);
        let (a, b) = tokio::join!(
            database.store().record_api_key_usage(&newer),
            other_node.record_api_key_usage(&older),
        );
        a.unwrap();
        b.unwrap();
    }

    // Assert
    let stored = database.store().api_key(acme.id, id).await.unwrap();
    assert_eq!(stored.last_used_at, Some(minutes(109)));
    assert_eq!(stored.usage.last_ip.as_deref(), Some("10.0.0.2"));
    assert_eq!(stored.usage.success_count, 20);
    other_node.close().await;
    database.close().await;
}

#[tokio::test]
async fn deleting_a_key_erases_its_sealed_copy_in_the_database() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let acme = tenant(database.store(), "acme").await;
    let id = insert_key(database.store(), &acme, "doomed", 1, T0).await;

    let log = activity(acme.id, "api_key.deleted");
    database
        .store()
        .delete_api_key(acme.id, id, T0, &log)
        .await
        .unwrap();

    let mut raw = PgConnection::connect(&database.url()).await.unwrap();
    let (sealed, deleted): (Option<Vec<u8>>, bool) =
        sqlx::query_as("select key_sealed, deleted_at is not null from api_keys where id = $1")
            .bind(id.to_string())
            .fetch_one(&mut raw)
            .await
            .unwrap();
    assert_eq!((sealed, deleted), (None, true));
    raw.close().await.unwrap();
    database.close().await;
}

/// A sink that records what a change feed told it.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    fn events(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Waits up to two seconds for `event` to be recorded.
    async fn wait_for(&self, event: &str) {
        for _ in 0..200 {
            if self.events().iter().any(|seen| seen == event) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("never saw {event}; saw {:?}", self.events());
    }
}

impl ChangeSink for Recorder {
    fn keys_changed(&self, digests: &[Digest]) {
        let mut events = self.0.lock().unwrap();
        events.extend(digests.iter().map(|digest| format!("key {}", digest.0[0])));
    }

    fn feed_lost(&self) {
        self.0.lock().unwrap().push("lost".into());
    }

    fn feed_restored(&self) {
        self.0.lock().unwrap().push("restored".into());
    }
}

#[tokio::test]
async fn edits_regenerations_and_deletions_are_announced_to_every_node() {
    // Arrange: node B watches; node A changes keys.
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let node_b = SqlStore::postgres(&database.url()).await.unwrap();
    let recorder = Arc::new(Recorder::default());
    let watch = node_b.watch_changes(recorder.clone()).unwrap();
    recorder.wait_for("restored").await;
    let node_a: &dyn Store = database.store();
    let acme = tenant(node_a, "acme").await;
    let edited = insert_key(node_a, &acme, "edited", 1, T0).await;
    let regenerated = insert_key(node_a, &acme, "regenerated", 2, T0).await;
    let deleted = insert_key(node_a, &acme, "deleted", 3, T0).await;
    let log = || activity(acme.id, "api_key.changed");
    let read_only = ApiKeyChange {
        description: None,
        access: Some(Access::ReadOnly),
        ..Default::default()
    };

    // Act
    node_a
        .update_api_key(acme.id, edited, &read_only, minutes(1), &log())
        .await
        .unwrap();
    node_a
        .replace_api_key_secret(acme.id, regenerated, &secret(9), minutes(1), &log())
        .await
        .unwrap();
    node_a
        .delete_api_key(acme.id, deleted, minutes(1), &log())
        .await
        .unwrap();

    // Assert: the regenerated key is announced by its old digest (the one caches hold).
    for event in ["key 1", "key 2", "key 3"] {
        recorder.wait_for(event).await;
    }
    assert!(!recorder.events().contains(&"key 9".to_owned()));
    assert_eq!(recorder.events()[..2], ["lost", "restored"]);
    watch.stop().await;
    node_b.close().await;
    database.close().await;
}

#[tokio::test]
async fn a_cut_feed_is_reported_lost_then_restored() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let recorder = Arc::new(Recorder::default());
    let watch = database
        .sql_store()
        .watch_changes(recorder.clone())
        .unwrap();
    recorder.wait_for("restored").await;
    let pid = watch.backend_pid();
    assert_ne!(pid, 0);

    let mut admin = PgConnection::connect(&database.url()).await.unwrap();
    let cut: bool = sqlx::query_scalar("select pg_terminate_backend($1)")
        .bind(i32::try_from(pid).unwrap())
        .fetch_one(&mut admin)
        .await
        .unwrap();

    assert!(cut);
    for _ in 0..200 {
        if recorder.events() == ["lost", "restored", "lost", "restored"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(recorder.events(), ["lost", "restored", "lost", "restored"]);
    assert_ne!(watch.backend_pid(), pid);
    admin.close().await.unwrap();
    watch.stop().await;
    database.close().await;
}

#[tokio::test]
async fn a_rolled_back_change_is_not_announced() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let recorder = Arc::new(Recorder::default());
    let watch = database
        .sql_store()
        .watch_changes(recorder.clone())
        .unwrap();
    recorder.wait_for("restored").await;
    let acme = tenant(database.store(), "acme").await;
    let first = insert_key(database.store(), &acme, "first", 1, T0).await;
    insert_key(database.store(), &acme, "second", 2, T0).await;

    // Regenerating into a taken digest fails after the announcement was queued.
    let log = activity(acme.id, "x");
    let failed = database
        .store()
        .replace_api_key_secret(acme.id, first, &secret(2), minutes(1), &log)
        .await;
    let change = ApiKeyChange {
        description: Some("marker".into()),
        access: None,
        ..Default::default()
    };
    database
        .store()
        .update_api_key(acme.id, first, &change, minutes(2), &log)
        .await
        .unwrap();

    assert!(failed.is_err());
    recorder.wait_for("key 1").await;
    // The marker edit arrived, and exactly once: the failed regenerate announced nothing.
    let announced = recorder.events().iter().filter(|e| *e == "key 1").count();
    assert_eq!(announced, 1);
    assert_eq!(
        digest(1),
        database
            .store()
            .api_key(acme.id, first)
            .await
            .unwrap()
            .digest
    );
    watch.stop().await;
    database.close().await;
}

#[tokio::test]
async fn the_copy_table_list_names_every_table_and_column_of_the_schema() {
    let Some(database) = PgDatabase::new().await else {
        return;
    };
    let mut raw = PgConnection::connect(&database.url()).await.unwrap();

    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables \
         where table_schema = current_schema() and table_name <> '_sqlx_migrations' \
         order by table_name collate \"C\"",
    )
    .fetch_all(&mut raw)
    .await
    .unwrap();
    let mut listed: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
    listed.sort_unstable();
    assert_eq!(tables, listed);
    for table in TABLES {
        let columns: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns \
             where table_schema = current_schema() and table_name = $1 order by ordinal_position",
        )
        .bind(table.name)
        .fetch_all(&mut raw)
        .await
        .unwrap();
        // The same columns; their order differs between the two databases (SQLite rebuilt
        // `devices` to keep `summary` before `inventory`), and the copy names them anyway.
        let mut columns = columns;
        columns.sort_unstable();
        let mut expected = table.schema_columns();
        expected.sort_unstable();
        assert_eq!(columns, expected, "columns of {}", table.name);
    }
    raw.close().await.unwrap();
    database.close().await;
}
