//! The real plumb server in process on a loopback port (on SQLite, or on PostgreSQL when
//! `PLUMB_TEST_POSTGRES_URL` is set), signed in as its administrator with an API key, and the
//! real `plumb-agent` binary run against it.

use std::path::Path;
use std::process::{Command, Output};

use plumb_core::accounts::NewAccount;
use plumb_core::store::CreateMode;
use plumb_server::App;
use plumb_server::config::Config;
use plumb_store_tests::TestSchema;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery staple";

/// A server with organization "Acme MSP"; stops when dropped.
pub struct Server {
    /// Its base URL, `http://127.0.0.1:<port>`.
    pub url: String,
    http: reqwest::Client,
    cookie: String,
    csrf: String,
    api_key: String,
    config: Config,
    running: Option<Running>,
    _dir: TempDir,
    _schema: Option<TestSchema>,
}

/// The serving task and the switch that stops it.
struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// An HTTP answer: status and JSON body (`Null` when the body is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Server {
    /// A server on its default database, SQLite in a temporary data directory.
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// A server on a fresh schema of `PLUMB_TEST_POSTGRES_URL`; `None` when PostgreSQL tests
    /// are skipped (the URL is unset and `PLUMB_TEST_REQUIRE_POSTGRES` is not `1`).
    pub async fn start_postgres() -> Option<Self> {
        let schema = TestSchema::create().await?;
        Some(Self::start_with(Some(schema)).await)
    }

    /// A server on SQLite with `adjust` applied to its configuration.
    pub async fn start_adjusted(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::start_configured(None, adjust).await
    }

    async fn start_with(schema: Option<TestSchema>) -> Self {
        Self::start_configured(schema, |_| {}).await
    }

    /// Starts the server, creates the organization, signs in and creates a read-write API key.
    async fn start_configured(
        schema: Option<TestSchema>,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: schema.as_ref().map(TestSchema::url),
            ..Config::default()
        };
        adjust(&mut config);
        let app = App::start(&config).await.unwrap();
        let account = NewAccount {
            organization_name: "Acme MSP".to_owned(),
            email: EMAIL.to_owned(),
            name: None,
            password: SecretString::from(PASSWORD),
        };
        let now = app.state.clock.now();
        app.state
            .accounts
            .create_organization(account, CreateMode::FirstOnly, None, now)
            .await
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let running = serve(listener, app);
        let http = reqwest::Client::new();
        let signed_in = http
            .post(format!("{url}/api/v1/session"))
            .json(&json!({"email": EMAIL, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);
        let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let body: Value = signed_in.json().await.unwrap();
        let mut server = Self {
            url,
            http,
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            api_key: String::new(),
            config,
            running: Some(running),
            _dir: dir,
            _schema: schema,
        };
        let key = server
            .v1_post(
                "/api/v1/api-keys",
                json!({"description": "e2e", "access": "read_write"}),
            )
            .await;
        assert_eq!(key.status, StatusCode::CREATED, "{}", key.body);
        server.api_key = key.body["key"].as_str().unwrap().to_owned();
        server
    }

    /// Stops serving (gracefully, as `plumb serve` does on SIGTERM) and waits until it has.
    pub async fn stop(&mut self) {
        if let Some(Running { stop, task }) = self.running.take() {
            let _ = stop.send(());
            task.await.unwrap().unwrap();
        }
    }

    /// Serves again on the same address and database after [`Server::stop`].
    pub async fn restart(&mut self) {
        let app = App::start(&self.config).await.unwrap();
        let address = self.url.trim_start_matches("http://");
        let listener = TcpListener::bind(address).await.unwrap();
        self.running = Some(serve(listener, app));
    }

    /// A management API write, with the session and its CSRF token.
    pub async fn v1_post(&self, path: &str, body: Value) -> Answer {
        let request = self.http.post(format!("{}{path}", self.url)).json(&body);
        answer(self.signed(request)).await
    }

    /// A management API delete.
    pub async fn v1_delete(&self, path: &str) -> Answer {
        let request = self.http.delete(format!("{}{path}", self.url));
        answer(self.signed(request)).await
    }

    /// A `/v2` read with the API key.
    pub async fn v2_get(&self, path: &str) -> Answer {
        let request = self.http.get(format!("{}{path}", self.url));
        answer(request.header("authorization", &self.api_key)).await
    }

    /// A `/v2` delete with the API key.
    pub async fn v2_delete(&self, path: &str) -> Answer {
        let request = self.http.delete(format!("{}{path}", self.url));
        answer(request.header("authorization", &self.api_key)).await
    }

    /// A call to a webhook trigger URL (which carries its own token).
    pub async fn trigger(&self, url: &str, authorization: Option<&str>, body: Value) -> Answer {
        let mut request = self.http.post(url).json(&body);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        answer(request).await
    }

    /// A new install key of the organization: (id, key).
    pub async fn install_key(&self) -> (String, String) {
        let created = self.v1_post("/api/v1/install-keys", json!({})).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let field = |name: &str| created.body[name].as_str().unwrap().to_owned();
        (field("id"), field("key"))
    }

    fn signed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }
}

fn serve(listener: TcpListener, app: App) -> Running {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(plumb_server::serve(listener, app, async {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.unwrap();
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    Answer {
        status,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// What one run of the agent binary did.
pub struct Run {
    pub success: bool,
    /// Standard output and standard error, in that order.
    pub text: String,
}

/// Runs `plumb-agent <args>` with `state_dir` and, for `enroll`, the install key in the
/// environment (as an operator should pass it). Blocking: call it from `spawn_blocking` so the
/// in-process server keeps answering.
pub fn agent(state_dir: &Path, install_key: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plumb-agent"));
    command
        .args(args)
        .env("PLUMB_AGENT_STATE_DIR", state_dir)
        .env_remove("PLUMB_INSTALL_KEY");
    if let Some(key) = install_key {
        command.env("PLUMB_INSTALL_KEY", key);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    if let Some(key) = install_key {
        assert!(!text.contains(&key[7..]), "the install key leaked: {text}");
    }
    if let Ok(state) = std::fs::read_to_string(state_dir.join("agent.json")) {
        let state: Value = serde_json::from_str(&state).unwrap();
        let token = state["device_token"].as_str().unwrap();
        assert!(
            !text.contains(&token[7..]),
            "the device token leaked: {text}"
        );
    }
    Run {
        success: status.success(),
        text,
    }
}

/// [`agent`] on a blocking thread.
pub async fn agent_async(state_dir: &Path, install_key: Option<&str>, args: &[&str]) -> Run {
    let state_dir = state_dir.to_path_buf();
    let install_key = install_key.map(str::to_owned);
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        agent(&state_dir, install_key.as_deref(), &args)
    })
    .await
    .unwrap()
}

/// Enrolls a fresh agent with a new install key and checks in once: (state dir, device id).
pub async fn enrolled_agent(server: &Server) -> (TempDir, String) {
    let (_, key) = server.install_key().await;
    let dir = tempfile::tempdir().unwrap();
    let enroll = ["enroll", "--server", server.url.as_str()];
    let enrolled = agent_async(dir.path(), Some(&key), &enroll).await;
    assert!(enrolled.success, "{}", enrolled.text);
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("agent.json")).unwrap())
            .unwrap();
    let checked_in = agent_async(dir.path(), None, &["run", "--once"]).await;
    assert!(checked_in.success, "{}", checked_in.text);
    let device_id = state["device_id"].as_str().unwrap().to_owned();
    (dir, device_id)
}

/// The output of a shell command on this machine, trimmed.
pub fn shell(command: &str) -> String {
    let output = Command::new("sh").args(["-c", command]).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}
