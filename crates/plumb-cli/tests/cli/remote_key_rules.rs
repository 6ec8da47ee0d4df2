//! `plumb keys` for what an owner limits about a key: expiry, addresses and rate limit at
//! creation, disable and enable, the organization's default, the request log, a grace period
//! and revoking a value read from stdin.

use crate::binary::plumb_binary;
use crate::remote::{json, plumb, server};

#[tokio::test]
async fn every_key_rule_can_be_set_and_read_from_the_cli_with_json() {
    let server = server().await;
    let create = [
        "keys",
        "create",
        "--description",
        "Limited",
        "--access",
        "read-only",
        "--expires-at",
        "2999-01-31T00:00:00Z",
        "--allowed-ip",
        "192.0.2.0/24",
        "--allowed-ip",
        "2001:db8::/32",
        "--rate-limit",
        "120",
        "--json",
    ];
    let created = json(&plumb(&server, &create).await.unwrap());
    let id = created["id"].as_str().unwrap().to_owned();

    let disabled = plumb(&server, &["keys", "disable", &id]).await.unwrap();
    let enabled = json(
        &plumb(&server, &["keys", "enable", &id, "--json"])
            .await
            .unwrap(),
    );
    let anywhere = json(
        &plumb(
            &server,
            &[
                "keys",
                "edit",
                &id,
                "--any-ip",
                "--rate-limit",
                "default",
                "--json",
            ],
        )
        .await
        .unwrap(),
    );
    let settings = plumb(&server, &["keys", "settings", "--rate-limit", "600"])
        .await
        .unwrap();
    let requests = plumb(&server, &["keys", "requests", &id]).await.unwrap();
    let regenerated = json(
        &plumb(
            &server,
            &[
                "keys",
                "regenerate",
                &id,
                "--grace",
                "1h",
                "--yes",
                "--json",
            ],
        )
        .await
        .unwrap(),
    );
    let ended = json(
        &plumb(&server, &["keys", "end-grace", &id, "--json"])
            .await
            .unwrap(),
    );

    assert_eq!(created["expires_at"], "2999-01-31T00:00:00.000Z");
    assert_eq!(
        created["allowed_ips"],
        serde_json::json!(["192.0.2.0/24", "2001:db8::/32"])
    );
    assert_eq!(created["rate_limit_per_minute"], 120);
    assert!(disabled.starts_with("Disabled API key"), "{disabled}");
    assert_eq!(enabled["disabled"], false);
    assert_eq!(anywhere["allowed_ips"], serde_json::json!([]));
    assert_eq!(anywhere["rate_limit_per_minute"], serde_json::json!(null));
    assert!(settings.contains("600 per minute"), "{settings}");
    assert_eq!(requests.trim(), "No requests.");
    assert!(regenerated["previous_valid_until"].is_string());
    assert_eq!(ended["previous_valid_until"], serde_json::json!(null));
}

#[tokio::test]
async fn revoke_value_reads_the_value_from_stdin_and_needs_no_sign_in() {
    let server = server().await;
    let created = json(
        &plumb(
            &server,
            &[
                "keys",
                "create",
                "--description",
                "Leaked",
                "--access",
                "read-only",
                "--json",
            ],
        )
        .await
        .unwrap(),
    );
    let key = created["key"].as_str().unwrap().to_owned();
    let url = server.url.clone();

    let output = tokio::task::spawn_blocking(move || {
        let args = ["keys", "revoke-value", "--server", &url, "--json"];
        plumb_binary(&args, &format!("{key}\n"))
    })
    .await
    .unwrap();
    let listed = json(&plumb(&server, &["keys", "list", "--json"]).await.unwrap());

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        json(&String::from_utf8_lossy(&output.stdout))["revoked"],
        true
    );
    assert_eq!(listed["data"], serde_json::json!([]));
}
