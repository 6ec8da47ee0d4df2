//! Signatures, checked by an independent implementation: Python's `hmac` module, given the
//! secret and the exact raw body the receiver got.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use super::{Receiver, create_endpoint, deliver, hooks_app};

/// Python computes both signatures of `body` under `secret` for message `id` at `timestamp`:
/// Level's hex one and the Standard Webhooks base64 one (key: the base64 after `whsec_`).
fn python_signatures(secret: &str, id: &str, timestamp: &str, body: &str) -> (String, String) {
    let script = r#"
import base64, hashlib, hmac, sys
secret, msg_id, timestamp = sys.argv[1], sys.argv[2], sys.argv[3]
body = sys.stdin.buffer.read()
level = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
standard = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
print("sha256=" + level)
print("v1," + standard)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script, secret, id, timestamp])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    (
        lines.next().unwrap().to_owned(),
        lines.next().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_secret_signs_every_delivery_as_level_and_standard_webhooks_do() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let session = app.admin_session().await;
    let key = app.key("read_write").await;
    let secret = "a-secret-of-my-own-choosing";
    create_endpoint(
        &app,
        &session,
        json!({"url": receiver.url, "secret": secret}),
    )
    .await;
    app.post("/v2/groups", json!({"name": "Signed"}))
        .key(&key)
        .send(&app)
        .await;
    deliver(&app).await;

    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    let id = request.header("webhook-id").unwrap();
    let timestamp = request.header("webhook-timestamp").unwrap();
    assert_eq!(id, request.json()["event_id"].as_str().unwrap());
    let (level, standard) = python_signatures(secret, &id, &timestamp, &request.body);
    assert_eq!(request.header("x-level-signature").unwrap(), level);
    assert_eq!(request.header("webhook-signature").unwrap(), standard);
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/json")
    );
}

#[tokio::test]
async fn a_generated_secret_is_shown_once_and_signs_with_its_decoded_key() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let session = app.admin_session().await;
    let key = app.key("read_write").await;
    let created = create_endpoint(
        &app,
        &session,
        json!({"url": receiver.url, "generate_secret": true}),
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let id = created["id"].as_str().unwrap();
    let shown = app
        .get(&format!("/api/v1/webhooks/{id}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(shown.body["has_secret"], true);
    assert!(shown.body.get("secret").is_none());
    assert!(!shown.text.contains(&secret));

    app.post("/v2/groups", json!({"name": "Signed"}))
        .key(&key)
        .send(&app)
        .await;
    deliver(&app).await;
    let request = &receiver.received()[0];
    let (level, standard) = python_signatures(
        &secret,
        &request.header("webhook-id").unwrap(),
        &request.header("webhook-timestamp").unwrap(),
        &request.body,
    );
    assert_eq!(request.header("x-level-signature").unwrap(), level);
    assert_eq!(request.header("webhook-signature").unwrap(), standard);
}

#[tokio::test]
async fn without_a_secret_nothing_is_signed() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let session = app.admin_session().await;
    let key = app.key("read_write").await;
    create_endpoint(&app, &session, json!({"url": receiver.url})).await;
    app.post("/v2/groups", json!({"name": "Plain"}))
        .key(&key)
        .send(&app)
        .await;
    deliver(&app).await;
    let request = &receiver.received()[0];
    assert_eq!(request.header("x-level-signature"), None);
    assert_eq!(request.header("webhook-signature"), None);
    assert!(request.header("webhook-id").is_some());
}
