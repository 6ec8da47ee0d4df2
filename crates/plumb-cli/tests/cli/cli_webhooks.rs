//! `plumb webhooks list|create|edit|test|deliveries|rerun|delete` through the real binary,
//! against a receiver on 127.0.0.1: the secret printed once and alone on stdout, the lines
//! people read, a test event delivered and re-run with the same `event_id`, the refusals, and
//! each `--json` shape pinned by a snapshot.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::real::{Plumb, cli_snapshot, signed_in};

/// A receiver that answers every request 204; returns its URL and how many it received.
async fn receiver() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let received = Arc::new(AtomicUsize::new(0));
    let count = received.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0_u8; 4096];
                while let Ok(read) = socket.read(&mut buffer).await {
                    if read == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    if complete(&request) {
                        count.fetch_add(1, Ordering::SeqCst);
                        let answer = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
                        let _ = socket.write_all(answer.as_bytes()).await;
                        break;
                    }
                }
            });
        }
    });
    (url, received)
}

/// Whether a request's head and its `content-length` of body have arrived.
fn complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

/// Waits (up to 20 s) until the receiver has `count` requests.
async fn received(counter: &AtomicUsize, count: usize) {
    for _ in 0..200 {
        if counter.load(Ordering::SeqCst) >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the receiver got {} requests, not {count}",
        counter.load(Ordering::SeqCst)
    );
}

/// The delivery log once it holds `count` attempts (the worker records an attempt just after
/// the receiver answers).
async fn deliveries(plumb: &Plumb, id: &str, count: usize) -> Value {
    for _ in 0..100 {
        let log = plumb.json(&["webhooks", "deliveries", id]).await;
        if log["data"].as_array().unwrap().len() >= count {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the delivery log never held {count} attempts");
}

/// The volatile parts of a delivery log entry (times, the body) as placeholders; ids are
/// redacted with the others (`Plumb::redactions`).
fn steady(mut log: Value) -> Value {
    for attempt in log["data"].as_array_mut().unwrap() {
        for field in ["attempted_at", "request_body"] {
            if attempt.get(field).is_some_and(|value| !value.is_null()) {
                attempt[field] = json!(format!("[{field}]"));
            }
        }
        attempt["duration_ms"] = json!("[ms]");
    }
    log
}

#[tokio::test]
async fn a_webhook_is_created_tested_rerun_narrowed_and_deleted_from_the_cli() {
    let plumb = signed_in().await;
    let (url, counter) = receiver().await;

    let empty = plumb.ok(&["webhooks", "list"]).await;
    let created = plumb
        .run(&[
            "webhooks",
            "create",
            "--url",
            &url,
            "--description",
            "PSA",
            "--generate-secret",
        ])
        .await;
    let listed = plumb.json(&["webhooks", "list"]).await;
    let id = listed["data"][0]["id"].as_str().unwrap().to_owned();
    let table = plumb.ok(&["webhooks", "list"]).await;
    let queued = plumb.json(&["webhooks", "test", &id]).await;
    received(&counter, 1).await;
    let log = deliveries(&plumb, &id, 1).await;
    let delivery = log["data"][0]["id"].as_str().unwrap().to_owned();
    let lines = plumb.ok(&["webhooks", "deliveries", &id]).await;
    let rerun = plumb.json(&["webhooks", "rerun", &id, &delivery]).await;
    received(&counter, 2).await;
    let again = deliveries(&plumb, &id, 2).await;
    let edited = plumb
        .json(&[
            "webhooks",
            "edit",
            &id,
            "--event",
            "device_deleted,alert_active",
            "--disable",
        ])
        .await;
    let refused = plumb.fails(1, &["webhooks", "test", &id]).await;
    let bad_url = plumb
        .fails(1, &["webhooks", "create", "--url", "not a url"])
        .await;
    let unconfirmed = plumb.fails(1, &["webhooks", "delete", &id]).await;
    let deleted = plumb.json(&["webhooks", "delete", &id, "--yes"]).await;
    let gone = plumb.fails(1, &["webhooks", "delete", &id, "--yes"]).await;
    let after = plumb.ok(&["webhooks", "list"]).await;

    assert_eq!(empty, "No webhooks.\n");
    assert_eq!(created.code, Some(0), "{created:?}");
    let secret = created.stdout.trim();
    assert!(
        secret.starts_with("whsec_") && !secret.contains(' '),
        "{created:?}"
    );
    assert!(created.stderr.contains("keep it secret"), "{created:?}");
    assert_eq!(listed["data"][0]["has_secret"], true);
    assert!(
        !listed.to_string().contains(secret),
        "the secret is shown once"
    );
    assert!(
        table.contains(&id) && table.contains("all events") && table.contains("enabled, signed"),
        "{table}"
    );
    assert_eq!(log["data"][0]["status"], 204);
    assert!(
        lines.contains(&delivery) && lines.contains("204"),
        "{lines}"
    );
    assert_eq!(rerun, json!({"ok": true}));
    assert_eq!(
        again["data"][0]["event_id"], log["data"][0]["event_id"],
        "a re-run keeps its event_id"
    );
    assert_eq!(
        edited["event_types"],
        json!(["alert_active", "device_deleted"])
    );
    assert_eq!(edited["enabled"], false);
    assert!(refused.contains("disabled"), "{refused}");
    assert!(bad_url.starts_with("error: "), "{bad_url}");
    assert!(
        !unconfirmed.is_empty(),
        "a delete without --yes off a terminal is refused"
    );
    assert_eq!(deleted, json!({"ok": true}));
    assert!(gone.contains("not found"), "{gone}");
    assert_eq!(after, "No webhooks.\n");
    cli_snapshot!(plumb, "webhooks_list", listed);
    cli_snapshot!(plumb, "webhooks_test", queued);
    cli_snapshot!(plumb, "webhooks_deliveries", steady(again));
    cli_snapshot!(plumb, "webhooks_edit", edited);
    cli_snapshot!(plumb, "webhooks_delete", deleted);
}
