//! `plumb keys` for what an owner limits about a key, through the real binary: expiry,
//! addresses and rate limit at creation and by `edit`, `disable` and `enable`, the
//! organization's default (`settings`), the request log (`requests`), a grace period
//! (`regenerate --grace`, `end-grace`) and `revoke-value` reading a leaked value from stdin
//! without a sign-in. Each `--json` shape is pinned by a snapshot.

use std::io::{Read, Write};

use crate::real::{cli_snapshot, signed_in};

/// `GET path` on the server with the key, as a program using it would; the status line.
fn get_with_key(url: &str, path: &str, key: &str) -> String {
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {key}\r\nUser-Agent: cli-test\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_keys_expiry_addresses_rate_limit_and_state_are_set_and_read_with_json() {
    let plumb = signed_in().await;
    let created = plumb
        .json(&[
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
        ])
        .await;
    let id = created["id"].as_str().unwrap().to_owned();

    let disabled = plumb.ok(&["keys", "disable", &id]).await;
    let disabled_json = plumb.json(&["keys", "disable", &id]).await;
    let enabled = plumb.json(&["keys", "enable", &id]).await;
    let anywhere = plumb
        .json(&[
            "keys",
            "edit",
            &id,
            "--any-ip",
            "--rate-limit",
            "default",
            "--expires-at",
            "never",
        ])
        .await;
    let settings = plumb.ok(&["keys", "settings", "--rate-limit", "600"]).await;
    let settings_json = plumb.json(&["keys", "settings"]).await;
    let bad_time = plumb
        .fails(2, &["keys", "edit", &id, "--expires-at", "tomorrow"])
        .await;
    let bad_rate = plumb
        .fails(2, &["keys", "edit", &id, "--rate-limit", "lots"])
        .await;
    let bad_default = plumb
        .fails(2, &["keys", "settings", "--rate-limit", "lots"])
        .await;
    let bad_grace = plumb
        .fails(
            2,
            &["keys", "regenerate", &id, "--grace", "a while", "--yes"],
        )
        .await;
    let bad_address = plumb
        .fails(1, &["keys", "edit", &id, "--allowed-ip", "not an address"])
        .await;

    assert_eq!(created["expires_at"], "2999-01-31T00:00:00.000Z");
    assert_eq!(
        created["allowed_ips"],
        serde_json::json!(["192.0.2.0/24", "2001:db8::/32"])
    );
    assert_eq!(created["rate_limit_per_minute"], 120);
    assert_eq!(disabled, format!("Disabled API key {id}.\n"));
    assert_eq!(disabled_json["disabled"], true);
    assert_eq!(enabled["disabled"], false);
    assert_eq!(anywhere["allowed_ips"], serde_json::json!([]));
    assert_eq!(anywhere["rate_limit_per_minute"], serde_json::Value::Null);
    assert_eq!(anywhere["expires_at"], serde_json::Value::Null);
    assert_eq!(settings, "Default rate limit of keys: 600 per minute\n");
    assert_eq!(settings_json["rate_limit_per_minute"], 600);
    assert!(bad_time.contains("not an ISO-8601 time"), "{bad_time}");
    assert!(
        bad_rate.contains("must be a number or default"),
        "{bad_rate}"
    );
    assert!(
        bad_default.contains("must be a number or none"),
        "{bad_default}"
    );
    assert!(
        bad_grace.contains("--grace must be none, 1h, 24h, 7d"),
        "{bad_grace}"
    );
    assert!(bad_address.starts_with("error: "), "{bad_address}");
    cli_snapshot!(plumb, "keys_create_with_rules", created);
    cli_snapshot!(plumb, "keys_disable", disabled_json);
    cli_snapshot!(plumb, "keys_settings", settings_json);
}

#[tokio::test]
async fn a_keys_requests_are_listed_and_its_old_value_works_until_the_grace_period_ends() {
    let plumb = signed_in().await;
    let url = plumb.server.url.clone();
    let created = plumb
        .json(&[
            "keys",
            "create",
            "--description",
            "Sync",
            "--access",
            "read-only",
        ])
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let old = created["key"].as_str().unwrap().to_owned();

    let none = plumb.ok(&["keys", "requests", &id]).await;
    let (ok, url_for_key) = (old.clone(), url.clone());
    let status = tokio::task::spawn_blocking(move || get_with_key(&url_for_key, "/v2/groups", &ok))
        .await
        .unwrap();
    plumb.server.state.request_log.flush().await.unwrap();
    let table = plumb.ok(&["keys", "requests", &id]).await;
    let requests = plumb
        .json(&["keys", "requests", &id, "--status", "2xx"])
        .await;
    let failed = plumb
        .json(&["keys", "requests", &id, "--status", "failed"])
        .await;
    let regenerated = plumb
        .json(&["keys", "regenerate", &id, "--grace", "1h", "--yes"])
        .await;
    let (old_key, url_for_old) = (old.clone(), url.clone());
    let during =
        tokio::task::spawn_blocking(move || get_with_key(&url_for_old, "/v2/groups", &old_key))
            .await
            .unwrap();
    let ended = plumb.json(&["keys", "end-grace", &id]).await;
    let after = tokio::task::spawn_blocking(move || get_with_key(&url, "/v2/groups", &old))
        .await
        .unwrap();

    assert_eq!(none, "No requests.\n");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(
        lines[0].starts_with("TIME") && lines[0].contains("STATUS"),
        "{table}"
    );
    assert!(
        lines[1].contains("200") && lines[1].contains("/v2/groups"),
        "{table}"
    );
    assert!(lines[1].contains("cli-test"), "{table}");
    assert_eq!(requests["data"].as_array().unwrap().len(), 1);
    assert_eq!(failed["data"], serde_json::json!([]));
    assert!(
        regenerated["previous_valid_until"].is_string(),
        "{regenerated}"
    );
    assert!(during.starts_with("HTTP/1.1 200"), "{during}");
    assert_eq!(ended["previous_valid_until"], serde_json::Value::Null);
    assert!(after.starts_with("HTTP/1.1 401"), "{after}");
    let mut settings = plumb.redactions();
    settings.add_redaction(".data[].at", "[time]");
    settings.add_redaction(".data[].duration_ms", "[ms]");
    settings.bind(|| insta::assert_json_snapshot!("keys_requests", requests));
    // The key was just used: its usage is written behind, at a moment the test does not choose.
    let mut settings = plumb.redactions();
    for field in [
        ".last_used_at",
        ".requests_last_24h",
        ".usage.success_count",
        ".usage.failure_count",
        ".usage.last_ip",
        ".usage.last_user_agent",
    ] {
        settings.add_redaction(field, "[usage]");
    }
    settings.bind(|| {
        insta::assert_json_snapshot!("keys_regenerate_with_grace", regenerated);
        insta::assert_json_snapshot!("keys_end_grace", ended);
    });
}

#[tokio::test]
async fn revoke_value_reads_a_leaked_value_from_stdin_without_a_sign_in() {
    let plumb = signed_in().await;
    let url = plumb.server.url.clone();
    let created = plumb
        .json(&[
            "keys",
            "create",
            "--description",
            "Leaked",
            "--access",
            "read-only",
        ])
        .await;
    let key = created["key"].as_str().unwrap().to_owned();
    plumb.ok(&["logout"]).await;

    let revoke = ["keys", "revoke-value", "--server", url.as_str()];
    let empty = plumb.run_with(&revoke, &[], "").await;
    let unknown = plumb.run_with(&revoke, &[], "plumb_not_a_live_key\n").await;
    let mut with_json = revoke.to_vec();
    with_json.push("--json");
    let revoked = plumb.run_with(&with_json, &[], &format!("{key}\n")).await;
    plumb.login().await;
    let listed = plumb.json(&["keys", "list"]).await;

    assert_eq!(empty.code, Some(1), "{empty:?}");
    assert!(
        empty.stderr.contains("give the key value on stdin"),
        "{empty:?}"
    );
    assert_eq!(unknown.code, Some(0), "{unknown:?}");
    assert_eq!(
        unknown.stdout,
        "Revoked: if that value was a live key, it no longer works.\n"
    );
    assert_eq!(revoked.code, Some(0), "{revoked:?}");
    let revoked = crate::server::json(&revoked.stdout);
    assert_eq!(revoked["revoked"], true);
    assert_eq!(listed["data"], serde_json::json!([]));
    cli_snapshot!(plumb, "keys_revoke_value", revoked);
}
