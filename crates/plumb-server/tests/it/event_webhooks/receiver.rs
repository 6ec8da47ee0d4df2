//! A real HTTP receiver for event webhooks, on 127.0.0.1 in the test: it records every
//! request (path, headers, raw body) and answers from a script (a status, a redirect, a delay),
//! 200 once the script is used up.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }
}

/// What the receiver answers next.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status, body "nope".
    Status(u16),
    /// A 302 to `/elsewhere` on the same receiver.
    Redirect,
    /// Wait this long, then 200.
    Sleep(Duration),
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
}

/// The receiver.
pub struct Receiver {
    /// Its URL (`http://127.0.0.1:<port>/hook`).
    pub url: String,
    shared: Arc<Shared>,
}

impl Receiver {
    /// Starts a receiver on a free port.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = axum::Router::new()
            .fallback(receive)
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://{address}/hook"),
            shared,
        }
    }

    /// Queues replies for the next requests.
    pub fn reply(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.script.lock().unwrap().extend(replies);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The bodies received so far, as JSON.
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.received().iter().map(Received::json).collect()
    }

    /// Waits (at most 10 s) until `count` requests have arrived; returns them.
    #[allow(dead_code, reason = "used by the two-node tests of it_postgres")]
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() >= deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.received.lock().unwrap().push(Received {
        path: uri.path().to_owned(),
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    });
    let reply = shared.script.lock().unwrap().pop_front();
    match reply {
        None => (StatusCode::OK, "ok").into_response(),
        Some(Reply::Status(status)) => {
            (StatusCode::from_u16(status).unwrap(), "nope").into_response()
        }
        Some(Reply::Redirect) => {
            (StatusCode::FOUND, [("location", "/elsewhere")], "moved").into_response()
        }
        Some(Reply::Sleep(wait)) => {
            tokio::time::sleep(wait).await;
            (StatusCode::OK, "late").into_response()
        }
    }
}
