//! Unit tests for URL handling, and request shape against a scripted one-shot HTTP server.
//! Tests against the real server live in `plumb-server/tests/it/`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use plumb_proto::v1::{Access, UpdateApiKey};

use super::*;

#[test]
fn server_urls_are_normalized_with_a_trailing_slash() {
    assert_eq!(
        parse_base_url("http://localhost:8080").unwrap().as_str(),
        "http://localhost:8080/"
    );
    assert_eq!(
        parse_base_url(" https://h.example/plumb ")
            .unwrap()
            .as_str(),
        "https://h.example/plumb/"
    );
}

#[test]
fn server_urls_must_be_plain_http_or_https() {
    for bad in [
        "ftp://h.example",
        "h.example",
        "http://h.example/?x=1",
        "http://h.example/#top",
        "http://admin:hunter2@h.example",
    ] {
        let error = Client::new(bad).unwrap_err();
        assert!(
            matches!(error, ClientError::InvalidUrl(_)),
            "{bad}: {error:?}"
        );
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
}

#[test]
fn ids_are_percent_encoded_into_one_path_segment() {
    let client = Client::new("http://h.example/base").unwrap();
    let url = client
        .url(&["api-keys", check_id("a/b?c").unwrap(), "reveal"])
        .unwrap();
    assert_eq!(
        url.as_str(),
        "http://h.example/base/api/v1/api-keys/a%2Fb%3Fc/reveal"
    );
    for bad in ["", ".", ".."] {
        assert!(
            matches!(check_id(bad), Err(ClientError::InvalidId(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn a_session_for_another_server_is_refused() {
    let saved = SavedSession::new("http://other.example/", "plumb_session", "tok", "csrf");
    let error = Client::new("http://h.example")
        .unwrap()
        .with_session(saved)
        .unwrap_err();
    assert!(matches!(error, ClientError::InvalidSession(_)), "{error:?}");
}

#[test]
fn client_debug_output_is_redacted() {
    let saved = SavedSession::new("http://h.example", "plumb_session", "tok3n", "csrf7");
    let client = Client::from_saved_session(saved).unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains("tok3n") && !text.contains("csrf7"), "{text}");
}

/// Serves one scripted response per connection and returns the raw requests it received.
async fn scripted_server(responses: Vec<String>) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let mut requests = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = Vec::new();
            let mut chunk = [0_u8; 4096];
            // Read the head, then as much body as Content-Length announces.
            loop {
                let read = stream.read(&mut chunk).await.unwrap();
                buffer.extend_from_slice(&chunk[..read]);
                let text = String::from_utf8_lossy(&buffer).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|line| {
                            line.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if buffer.len() >= end + 4 + length || read == 0 {
                        break;
                    }
                }
            }
            requests.push(String::from_utf8_lossy(&buffer).to_string());
            stream.write_all(response.as_bytes()).await.unwrap();
            stream.shutdown().await.unwrap();
        }
        requests
    });
    (base_url, handle)
}

fn http_response(status: &str, headers: &[&str], body: &str) -> String {
    let mut text =
        format!("HTTP/1.1 {status}\r\nconnection: close\r\ncontent-type: application/json\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    text
}

const SESSION_INFO: &str = r#"{"user":{"id":"u1","email":"a@example.com","name":"A","role":"admin",
"permissions":["settings"],"disabled":false,"organization":{"id":"o1","name":"Org"},
"created_at":"2025-03-15T14:30:00.000Z"},"csrf_token":"csrf-123"}"#;

#[tokio::test]
async fn login_keeps_the_cookie_and_sends_csrf_only_on_writes() {
    // Arrange
    let key = r#"{"id":"k1","description":"d","access":"read_only","masked_key":"plumb_****Ab12",
"last_used_at":null,"created_at":"2025-03-15T14:30:00.000Z","created_by":{"id":"u1","email":"a@example.com"},
"usage":{"success_count":0,"failure_count":0,"last_ip":null,"last_user_agent":null}}"#;
    let (base_url, server) = scripted_server(vec![
        http_response(
            "200 OK",
            &["set-cookie: plumb_session=tok-9; HttpOnly; SameSite=Strict; Path=/"],
            SESSION_INFO,
        ),
        http_response("200 OK", &[], key),
        http_response("200 OK", &[], key),
    ])
    .await;
    let mut client = Client::new(&base_url).unwrap();

    // Act
    let info = client.login("a@example.com", "pw").await.unwrap();
    client.api_key("k1").await.unwrap();
    let update = UpdateApiKey {
        access: Some(Access::ReadWrite),
        ..UpdateApiKey::default()
    };
    client.update_api_key("k1", &update).await.unwrap();

    // Assert
    assert_eq!(info.csrf_token, "csrf-123");
    let saved = client.saved_session().unwrap();
    assert_eq!(saved.cookie_name(), "plumb_session");
    let requests = server.await.unwrap();
    assert!(
        requests[0].starts_with("POST /api/v1/session "),
        "{}",
        requests[0]
    );
    assert!(!requests[0].to_lowercase().contains("x-csrf-token"));
    assert!(
        requests[1].starts_with("GET /api/v1/api-keys/k1 "),
        "{}",
        requests[1]
    );
    assert!(
        requests[1].contains("cookie: plumb_session=tok-9"),
        "{}",
        requests[1]
    );
    assert!(!requests[1].to_lowercase().contains("x-csrf-token"));
    assert!(
        requests[2].starts_with("PATCH /api/v1/api-keys/k1 "),
        "{}",
        requests[2]
    );
    assert!(
        requests[2].contains("x-csrf-token: csrf-123"),
        "{}",
        requests[2]
    );
    assert!(
        requests[2].ends_with(r#"{"access":"read_write"}"#),
        "{}",
        requests[2]
    );
}

#[tokio::test]
async fn error_bodies_and_retry_after_are_reported() {
    let (base_url, server) = scripted_server(vec![
        http_response(
            "429 Too Many Requests",
            &["retry-after: 42"],
            r#"{"error":"too many attempts","code":"rate_limited"}"#,
        ),
        http_response("502 Bad Gateway", &[], "<html>bad gateway</html>"),
    ])
    .await;
    let mut client = Client::new(&base_url).unwrap();

    let limited = client.login("a@example.com", "pw").await.unwrap_err();
    let gateway = client.list_api_keys(Some("x y")).await.unwrap_err();

    assert!(
        matches!(
            limited,
            ClientError::Api {
                status: 429,
                retry_after: Some(42),
                ..
            }
        ),
        "{limited:?}"
    );
    assert_eq!(limited.code(), Some(plumb_proto::ErrorCode::RateLimited));
    assert_eq!(gateway.to_string(), "the server answered 502 Bad Gateway");
    let requests = server.await.unwrap();
    assert!(
        requests[1].starts_with("GET /api/v1/api-keys?search=x+y "),
        "{}",
        requests[1]
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind and drop a listener to get a port nobody listens on.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);

    let error = Client::new(&base_url).unwrap().session().await.unwrap_err();

    assert!(matches!(error, ClientError::Transport(_)), "{error:?}");
    assert!(!error.to_string().contains("127.0.0.1"), "{error}");
}
