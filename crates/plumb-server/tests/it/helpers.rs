//! `TestApp`: the real application over a temporary data directory and a fresh database (see
//! `backend`), driven in process, plus small builders for sessions, keys and devices; requests
//! are built and sent with `requests`.

use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use plumb_core::accounts::NewAccount;
use plumb_core::clock::{Clock, ManualClock, SystemClock};
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::store::{CreateMode, NewDevice, User};
use plumb_server::config::{Config, KeysConfig};
use plumb_server::{App, router};
use secrecy::SecretString;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::backend::TestDatabase;
pub use crate::requests::{RequestBuilder, TestResponse};

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

impl TestApp {
    /// An installation with organization "Acme MSP" and its administrator.
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// The same with the configuration adjusted.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::with_clock(Arc::new(SystemClock), adjust).await
    }

    /// The same on a clock the test moves (it starts at the real time, rounded to a minute).
    pub async fn with_manual_clock(adjust: impl FnOnce(&mut Config)) -> (Self, Arc<ManualClock>) {
        let now = SystemClock.now().replace_nanosecond(0).unwrap();
        let start = now.replace_second(0).unwrap();
        let clock = Arc::new(ManualClock::new(start));
        (Self::with_clock(clock.clone(), adjust).await, clock)
    }

    /// The same with a clock of the test's choosing.
    pub async fn with_clock(clock: Arc<dyn Clock>, adjust: impl FnOnce(&mut Config)) -> Self {
        let (app, router, Fixture { dir, database }) = start_with(clock, adjust).await;
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
        Self::with_config(|config| {
            config.keys = KeysConfig {
                recoverable: false,
                ..KeysConfig::default()
            }
        })
        .await
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

    // Only `it` sends a PUT; `it_postgres` compiles these helpers too.
    #[allow(dead_code)]
    pub fn put(&self, path: &str, body: Value) -> RequestBuilder {
        RequestBuilder::new(Method::PUT, path).json(body)
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        RequestBuilder::new(Method::DELETE, path)
    }

    /// Writes gathered key usage now, as the background writer does every second.
    pub async fn flush_usage(&self) {
        self.app.state.keys.verifier().flush_usage().await.unwrap();
    }

    /// Writes the gathered request log now, as the background writer does every second.
    pub async fn flush_requests(&self) {
        self.app.state.request_log.flush().await.unwrap();
    }

    /// Creates a key with extra settings (`expires_at`, `allowed_ips`, ...) through the API;
    /// returns (id, full key).
    pub async fn create_key_with(&self, session: &Session, settings: Value) -> (String, String) {
        let mut body = json!({"description": "Limited", "access": "read_write"});
        for (name, value) in settings.as_object().unwrap() {
            body[name] = value.clone();
        }
        let response = self
            .post("/api/v1/api-keys", body)
            .session(session)
            .send(self)
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        (
            response.body["id"].as_str().unwrap().to_owned(),
            response.body["key"].as_str().unwrap().to_owned(),
        )
    }
}

async fn start(adjust: impl FnOnce(&mut Config)) -> (App, Router, Fixture) {
    start_with(Arc::new(SystemClock), adjust).await
}

async fn start_with(
    clock: Arc<dyn Clock>,
    adjust: impl FnOnce(&mut Config),
) -> (App, Router, Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh().await;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    database.configure(&mut config);
    adjust(&mut config);
    let app = App::start_with_clock(&config, clock).await.unwrap();
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
