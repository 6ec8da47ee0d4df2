//! `plumb keys list|create|edit|reveal|regenerate|delete` through the real binary: the value is
//! printed alone on stdout (notices on stderr), the table never shows it, and each `--json`
//! shape is pinned by a snapshot.

use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn a_key_is_created_listed_edited_revealed_regenerated_and_deleted() {
    let plumb = signed_in().await;

    let empty = plumb.ok(&["keys", "list"]).await;
    let created = plumb
        .run(&[
            "keys",
            "create",
            "--description",
            "CLI sync",
            "--access",
            "read-only",
        ])
        .await;
    let key = created.stdout.trim().to_owned();
    let listed = plumb.json(&["keys", "list", "--search", "cli"]).await;
    let id = listed["data"][0]["id"].as_str().unwrap().to_owned();
    let table = plumb.ok(&["keys", "list"]).await;
    let not_matching = plumb.json(&["keys", "list", "--search", "nothing"]).await;
    let details = plumb
        .ok(&["keys", "edit", &id, "--description", "CLI sync 2"])
        .await;
    let edited = plumb
        .json(&["keys", "edit", &id, "--access", "read-write"])
        .await;
    let revealed = plumb.ok(&["keys", "reveal", &id]).await;
    let revealed_json = plumb.json(&["keys", "reveal", &id]).await;
    let regenerated = plumb.run(&["keys", "regenerate", &id, "--yes"]).await;
    let new_key = regenerated.stdout.trim().to_owned();
    let unconfirmed = plumb.fails(1, &["keys", "delete", &id]).await;
    let deleted = plumb.ok(&["keys", "delete", &id, "--yes"]).await;
    let gone = plumb.fails(1, &["keys", "reveal", &id]).await;

    assert_eq!(empty, "No API keys.\n");
    assert_eq!(created.code, Some(0), "{created:?}");
    assert!(key.starts_with("plumb_") && !key.contains('\n'), "{key}");
    assert!(
        created.stderr.starts_with("Created API key ") && created.stderr.contains("keep it secret"),
        "{}",
        created.stderr
    );
    assert!(table.starts_with("ID "), "{table}");
    assert!(
        table.contains("CLI sync") && table.contains("read-only") && table.contains("plumb_****"),
        "{table}"
    );
    assert!(
        !table.contains(&key),
        "the table must not show the full key"
    );
    assert_eq!(not_matching["data"], serde_json::json!([]));
    assert!(details.contains("DESCRIPTION  CLI sync 2\n"), "{details}");
    assert!(details.contains("ACCESS       read-only\n"), "{details}");
    assert_eq!(edited["access"], "read_write");
    assert_eq!(revealed, format!("{key}\n"));
    assert_eq!(revealed_json["key"], key.as_str());
    assert_eq!(regenerated.code, Some(0), "{regenerated:?}");
    assert!(new_key.starts_with("plumb_") && new_key != key, "{new_key}");
    assert!(
        unconfirmed.contains("stdin is not a terminal; pass --yes"),
        "{unconfirmed}"
    );
    assert_eq!(deleted, format!("Deleted API key {id}.\n"));
    assert!(gone.starts_with("error: "), "{gone}");
    assert_eq!(plumb.ok(&["keys", "list"]).await, "No API keys.\n");
    cli_snapshot!(plumb, "keys_list", listed);
    cli_snapshot!(plumb, "keys_edit", edited);
    cli_snapshot!(plumb, "keys_reveal", revealed_json);
}

#[tokio::test]
async fn key_writes_answer_json_for_scripts() {
    let plumb = signed_in().await;

    let created = plumb
        .json(&[
            "keys",
            "create",
            "--description",
            "Backups",
            "--access",
            "read-write",
        ])
        .await;
    let id = created["id"].as_str().unwrap();
    let regenerated = plumb.json(&["keys", "regenerate", id, "--yes"]).await;
    let deleted = plumb.json(&["keys", "delete", id, "--yes"]).await;
    let refused = plumb
        .fails(
            2,
            &["keys", "create", "--description", "x", "--access", "root"],
        )
        .await;

    assert_ne!(created["key"], regenerated["key"]);
    assert!(refused.contains("invalid value 'root'"), "{refused}");
    cli_snapshot!(plumb, "keys_create", created);
    cli_snapshot!(plumb, "keys_regenerate", regenerated);
    cli_snapshot!(plumb, "keys_delete", deleted);
}
