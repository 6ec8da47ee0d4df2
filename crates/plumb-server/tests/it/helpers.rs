//! `TestApp`: the real application over a temporary data directory and a fresh database (see
//! `backend`), driven in process, plus small builders for sessions, keys and requests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use plumb_core::accounts::NewAccount;
use plumb_core::clock::SystemClock;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::store::{CreateMode, NewDevice, User};
use plumb_server::config::{Config, KeysConfig};
use plumb_server::{App, router};
use secrecy::SecretString;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::backend::TestDatabase;

/// The administrator every `TestApp::new` starts with.
pub const ADMIN_EMAIL: &str = "admin@acme.test";
/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub admin: User,
    pub dir: TempDir,
    pub database: TestDatabase,
}

/// What a test's installation lives in: the data directory and the database.
pub struct Fixture {
    pub dir: TempDir,
    pub database: TestDatabase,
}

/// A signed-in session: the cookie header value and the CSRF token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    /// An installation with organization "Acme MSP" and its administrator.
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// The same with the configuration adjusted.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let (app, router, Fixture { dir, database }) = start(adjust).await;
        let admin = create_org(&app, "Acme MSP", ADMIN_EMAIL, CreateMode::FirstOnly).await;
        Self {
            app,
            router,
            admin,
            dir,
            database,
        }
    }

    /// The configuration of this installation, to start it again.
    pub fn config(&self) -> Config {
        let mut config = Config {
            data_dir: self.data_dir(),
            ..Config::default()
        };
        self.database.configure(&mut config);
        config
    }

    /// The data directory.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().to_path_buf()
    }

    /// An installation in hash-only mode.
    pub async fn hash_only() -> Self {
        Self::with_config(|config| config.keys = KeysConfig { recoverable: false }).await
    }

    /// An installation with no organization yet, and its setup link.
    pub async fn empty() -> (App, Router, Fixture) {
        start(|_| {}).await
    }

    /// A second organization with its own administrator.
    pub async fn other_org(&self, email: &str) -> User {
        create_org(&self.app, "Other MSP", email, CreateMode::Additional).await
    }

    pub async fn admin_session(&self) -> Session {
        self.sign_in(ADMIN_EMAIL, PASSWORD).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Session {
        let response = self
            .post(
                "/api/v1/session",
                json!({"email": email, "password": password}),
            )
            .send(self)
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-in failed: {}",
            response.text
        );
        let set_cookie = response.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        Session {
            cookie,
            csrf: response.body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Adds a user through the API as the administrator; returns the user's id.
    pub async fn add_user(&self, email: &str, role: &str, permissions: &[&str]) -> String {
        let admin = self.admin_session().await;
        let body = json!({"email": email, "name": email, "role": role, "permissions": permissions, "password": PASSWORD});
        let response = self
            .post("/api/v1/users", body)
            .session(&admin)
            .send(self)
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        response.body["id"].as_str().unwrap().to_owned()
    }

    /// Creates a key through the API; returns (id, full key).
    pub async fn create_key(
        &self,
        session: &Session,
        description: &str,
        access: &str,
    ) -> (String, String) {
        let response = self
            .post(
                "/api/v1/api-keys",
                json!({"description": description, "access": access}),
            )
            .session(session)
            .send(self)
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        (
            response.body["id"].as_str().unwrap().to_owned(),
            response.body["key"].as_str().unwrap().to_owned(),
        )
    }

    /// A key of the administrator's organization.
    pub async fn key(&self, access: &str) -> String {
        let session = self.admin_session().await;
        self.create_key(&session, "Test integration", access)
            .await
            .1
    }

    /// A device in an organization (devices arrive through the agent in production).
    pub async fn device(
        &self,
        organization_id: OrganizationId,
        group_id: Option<GroupId>,
        hostname: &str,
    ) -> String {
        let id = DeviceId::new();
        let device = NewDevice {
            id,
            organization_id,
            group_id,
            hostname: hostname.to_owned(),
            serial_number: None,
            token_digest: None,
            inventory: None,
            created_at: self.app.state.clock.now(),
        };
        self.app.state.store.insert_device(&device).await.unwrap();
        id.to_string()
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        RequestBuilder::new(Method::GET, path)
    }

    pub fn post(&self, path: &str, body: Value) -> RequestBuilder {
        RequestBuilder::new(Method::POST, path).json(body)
    }

    pub fn patch(&self, path: &str, body: Value) -> RequestBuilder {
        RequestBuilder::new(Method::PATCH, path).json(body)
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        RequestBuilder::new(Method::DELETE, path)
    }

    /// Writes gathered key usage now, as the background writer does every second.
    pub async fn flush_usage(&self) {
        self.app.state.keys.verifier().flush_usage().await.unwrap();
    }
}

async fn start(adjust: impl FnOnce(&mut Config)) -> (App, Router, Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh().await;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    database.configure(&mut config);
    adjust(&mut config);
    let app = App::start_with_clock(&config, Arc::new(SystemClock))
        .await
        .unwrap();
    let router = router(app.state.clone());
    (app, router, Fixture { dir, database })
}

async fn create_org(app: &App, name: &str, email: &str, mode: CreateMode) -> User {
    let account = NewAccount {
        organization_name: name.to_owned(),
        email: email.to_owned(),
        name: None,
        password: SecretString::from(PASSWORD),
    };
    app.state
        .accounts
        .create_organization(account, mode, None, app.state.clock.now())
        .await
        .unwrap()
}

pub struct RequestBuilder {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl RequestBuilder {
    pub fn new(method: Method, path: &str) -> Self {
        Self {
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
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

    pub async fn send_to(self, router: &Router) -> TestResponse {
        use tower::ServiceExt;
        let mut request = Request::builder().method(self.method).uri(&self.path);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let mut request = request
            .body(Body::from(self.body.unwrap_or_default()))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))));
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
