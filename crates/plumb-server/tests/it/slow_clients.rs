//! Slow and idle clients against a real listener (`plumb_server::serve`) with short `[http]`
//! limits: each kind is disconnected once its deadline passes, never before, while a good
//! client is served meanwhile; over the connection cap a client gets a 503 in our format.
//!
//! The limits are whole seconds, so these tests take a few seconds each; every wait is
//! bounded and the assertions leave a second of slack either way.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::helpers::TestApp;

/// A served installation: its address, what stops it, and its files (kept while it runs).
struct Served {
    address: SocketAddr,
    _stop: oneshot::Sender<()>,
    _files: (tempfile::TempDir, crate::backend::TestDatabase),
}

/// Header and body timeouts of 1 s, an idle timeout of 2 s, at most `max_connections`.
async fn served(max_connections: usize) -> Served {
    let TestApp {
        app, dir, database, ..
    } = TestApp::with_config(|config| {
        config.http.header_timeout_seconds = 1;
        config.http.body_timeout_seconds = 1;
        config.http.idle_timeout_seconds = 2;
        config.http.max_connections = max_connections;
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(plumb_server::serve(listener, app, async {
        let _ = stopped.await;
    }));
    Served {
        address,
        _stop: stop,
        _files: (dir, database),
    }
}

/// Reads until the server closes the connection (or 10 s pass); returns what arrived and when
/// the connection closed, counted from `since`.
async fn until_closed(stream: &mut TcpStream, since: Instant) -> (String, Duration) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = since + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        since.elapsed(),
    )
}

/// Sends one whole `GET /healthz` on a new connection and returns the status line.
async fn healthz(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = until_closed(&mut stream, Instant::now()).await;
    answer.lines().next().unwrap_or_default().to_owned()
}

fn closed_on_time(what: &str, after: Duration, timeout: Duration) {
    assert!(
        after >= timeout.saturating_sub(Duration::from_millis(100)),
        "{what}: closed too early, after {after:?}"
    );
    assert!(
        after <= timeout + Duration::from_secs(2),
        "{what}: closed too late, after {after:?}"
    );
}

#[tokio::test]
async fn clients_that_send_nothing_or_half_a_head_are_disconnected_after_the_header_timeout() {
    let served = served(100).await;
    let cases: [(&str, &[u8]); 3] = [
        ("nothing", b""),
        ("half a request line", b"GET /v2/gr"),
        (
            "a head without its end",
            b"GET /healthz HTTP/1.1\r\nhost: x\r\n",
        ),
    ];
    for (what, sent) in cases {
        let started = Instant::now();
        let mut stream = TcpStream::connect(served.address).await.unwrap();
        stream.write_all(sent).await.unwrap();
        let (answer, after) = until_closed(&mut stream, started).await;
        assert_eq!(answer, "", "{what}");
        closed_on_time(what, after, Duration::from_secs(1));
    }
}

#[tokio::test]
async fn a_header_line_a_moment_does_not_extend_the_header_timeout() {
    let served = served(100).await;
    let started = Instant::now();
    let mut stream = TcpStream::connect(served.address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let mut closed = false;
    for n in 0..30 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let line = format!("x-slow-{n}: {n}\r\n");
        if stream.write_all(line.as_bytes()).await.is_err() {
            closed = true;
            break;
        }
    }
    let (answer, after) = until_closed(&mut stream, started).await;
    assert!(closed || answer.is_empty(), "{answer}");
    closed_on_time("a header line every 200 ms", after, Duration::from_secs(1));
}

#[tokio::test]
async fn a_body_trickling_in_gets_a_408_in_our_format_after_the_body_timeout() {
    let served = served(100).await;
    let mut stream = TcpStream::connect(served.address).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
              content-length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let trickle = async {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if stream.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(1500), trickle).await;
    let (answer, after) = until_closed(&mut stream, started).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "request_timeout", "{answer}");
    closed_on_time("a body at 5 bytes/s", after, Duration::from_secs(1));
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let served = served(100).await;
    let mut stream = TcpStream::connect(served.address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let read = stream.read(&mut buffer).await.unwrap();
    assert!(buffer[..read].starts_with(b"HTTP/1.1 200"));
    let started = Instant::now();

    let (answer, after) = until_closed(&mut stream, started).await;

    assert_eq!(answer, "");
    closed_on_time("idle after one request", after, Duration::from_secs(2));
}

#[tokio::test]
async fn good_clients_are_served_while_slow_ones_wait_to_be_dropped() {
    let served = served(100).await;
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(served.address).await.unwrap();
        stream.write_all(b"GET /v2/gr").await.unwrap();
        slow.push(stream);
    }
    for _ in 0..5 {
        assert_eq!(healthz(served.address).await, "HTTP/1.1 200 OK");
    }
    let started = Instant::now();
    for mut stream in slow {
        let (_, after) = until_closed(&mut stream, started).await;
        assert!(after <= Duration::from_secs(3), "{after:?}");
    }
}

#[tokio::test]
async fn over_the_connection_cap_a_client_gets_503_in_our_format_and_room_comes_back() {
    let served = served(5).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(TcpStream::connect(served.address).await.unwrap());
    }
    // Let the server accept all five before the sixth arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let answer = healthz(served.address).await;
    assert_eq!(answer, "HTTP/1.1 503 Service Unavailable");
    let mut stream = TcpStream::connect(served.address).await.unwrap();
    let (answer, _) = until_closed(&mut stream, Instant::now()).await;
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "unavailable");

    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(healthz(served.address).await, "HTTP/1.1 200 OK");
}
