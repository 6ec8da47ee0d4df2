//! `plumb migrate` on either backend, chosen by the database URL's scheme.

use clap::Parser;
use plumb_cli::Cli;
use plumb_server::database::Database;
use plumb_store_tests::TestSchema;

fn migrate(database_url: &str, data_dir: &std::path::Path) -> Cli {
    Cli::try_parse_from([
        "plumb",
        "migrate",
        "--database-url",
        database_url,
        "--data-dir",
        data_dir.to_str().unwrap(),
    ])
    .unwrap()
}

#[tokio::test]
async fn migrate_prepares_an_empty_postgres_database_and_is_harmless_twice() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();

    plumb_cli::run(migrate(&schema.url(), dir.path()))
        .await
        .unwrap();
    plumb_cli::run(migrate(&schema.url(), dir.path()))
        .await
        .unwrap();

    // Opening without migrating finds the tables in place.
    let database = Database::open(&schema.url()).await.unwrap();
    assert!(!database.store().has_organizations().await.unwrap());
    database.close().await;
    schema.drop_schema().await;
}

#[tokio::test]
async fn migrate_refuses_a_database_url_of_another_kind() {
    let dir = tempfile::tempdir().unwrap();

    let result = plumb_cli::run(migrate("mysql://plumb:s3cret@db/plumb", dir.path())).await;

    let message = format!("{:#}", result.unwrap_err());
    assert!(message.contains("unsupported database url"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}
