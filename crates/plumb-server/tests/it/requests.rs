//! Requests driven through the router in process (`RequestBuilder`) and what they answer
//! (`TestResponse`): status, headers, the JSON body and its text.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;

use crate::helpers::{Session, TestApp};

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

pub struct RequestBuilder {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    peer: SocketAddr,
}

impl RequestBuilder {
    pub fn new(method: Method, path: &str) -> Self {
        Self {
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
            peer: SocketAddr::from(([127, 0, 0, 1], 50000)),
        }
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(serde_json::to_vec(&body).unwrap());
        self.header("content-type", "application/json")
    }

    pub fn raw(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends the request as if from `ip` (the TCP peer).
    pub fn peer_address(mut self, ip: &str) -> Self {
        self.peer = SocketAddr::new(ip.parse().unwrap(), 50000);
        self
    }

    /// Signs the request with a session cookie and its CSRF token.
    pub fn session(self, session: &Session) -> Self {
        self.header("cookie", &session.cookie)
            .header("x-csrf-token", &session.csrf)
    }

    /// Authenticates with an API key, Level style (raw value).
    pub fn key(self, key: &str) -> Self {
        self.header("authorization", key)
    }

    pub async fn send(self, app: &TestApp) -> TestResponse {
        self.send_to(&app.router).await
    }

    /// Sends the request and counts the statements the store ran to answer it.
    pub async fn send_counting(self, app: &TestApp) -> (TestResponse, u64) {
        plumb_store::count_statements(self.send_to(&app.router)).await
    }

    pub async fn send_to(self, router: &Router) -> TestResponse {
        use tower::ServiceExt;
        let mut request = Request::builder().method(self.method).uri(&self.path);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let mut request = request
            .body(Body::from(self.body.unwrap_or_default()))
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
        }
    }
}

impl TestResponse {
    /// Asserts the status and that the body is our error envelope; returns the message.
    pub fn error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "body: {}", self.text);
        self.body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error field in {}", self.text))
            .to_owned()
    }
}
