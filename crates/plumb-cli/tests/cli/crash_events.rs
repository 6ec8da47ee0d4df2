//! Event webhooks survive a power cut: `plumb serve` is killed with SIGKILL after a change
//! committed and before its event was delivered; started again, it delivers the event, once.
//! On SQLite, and on PostgreSQL when the tests have one.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plumb_store_tests::TestSchema;
use serde_json::{Value, json};

use crate::crash::{call, create_key, init, serve_with, sign_in};

/// A receiver on 127.0.0.1 that answers 200 to everything and keeps each request's body.
fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 8192];
            // Read the head, then as much body as content-length says.
            let body = loop {
                let read = stream.read(&mut buffer).unwrap_or(0);
                if read == 0 {
                    break None;
                }
                request.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&request).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|line| {
                            let (name, value) = line.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break Some(body[..length].to_owned());
                    }
                }
            };
            if let Some(body) = body {
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap());
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, bodies)
}

#[test]
fn an_event_committed_before_sigkill_is_delivered_once_after_the_restart_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    crash_and_deliver(&dir, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_committed_before_sigkill_is_delivered_once_after_the_restart_on_postgres() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = schema.url();
    tokio::task::spawn_blocking(move || crash_and_deliver(&dir, Some(&url)))
        .await
        .unwrap();
    schema.drop_schema().await;
}

fn crash_and_deliver(dir: &tempfile::TempDir, database_url: Option<&str>) {
    let mut store_args = vec![
        "--data-dir".to_owned(),
        dir.path().to_str().unwrap().to_owned(),
    ];
    if let Some(url) = database_url {
        store_args.extend(["--database-url".to_owned(), url.to_owned()]);
    }
    init(&store_args);
    let (receiver_url, bodies) = receiver();
    // The worker looks once at start, then not for a minute: the event waits in the outbox.
    let (mut server, address) = serve_with(
        &store_args,
        &[
            ("PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"),
            ("PLUMB_WEBHOOKS__POLL_MILLISECONDS", "60000"),
        ],
    );
    let session = sign_in(&address);
    let (status, endpoint) = call(
        &address,
        "POST",
        "/api/v1/webhooks",
        &session.headers(),
        Some(&json!({ "url": receiver_url, "event_types": ["group_created"] })),
    )
    .unwrap();
    assert_eq!(status, 201, "{endpoint}");
    let (_, key) = create_key(&address, &session, "Writer");
    let (status, group) = call(
        &address,
        "POST",
        "/v2/groups",
        &[("authorization", key.as_str())],
        Some(&json!({"name": "Committed before the crash"})),
    )
    .unwrap();
    assert_eq!(status, 201, "{group}");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        bodies.lock().unwrap().is_empty(),
        "not delivered before the crash"
    );

    let (mut server, _) = serve_with(
        &store_args,
        &[
            ("PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"),
            ("PLUMB_WEBHOOKS__POLL_MILLISECONDS", "50"),
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while bodies.lock().unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the event was not delivered after the restart"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A second delivery would arrive within a few polls.
    std::thread::sleep(Duration::from_millis(500));
    server.kill().unwrap();
    server.wait().unwrap();
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 1, "delivered once");
    assert_eq!(bodies[0]["event_type"], "group_created");
    assert_eq!(bodies[0]["data"]["id"], group["id"]);
}
