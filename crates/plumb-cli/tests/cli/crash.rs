//! Power-cut durability: `plumb serve` is killed with SIGKILL while several clients write, then
//! started again on the same database. Every write it acknowledged (a 201) is there, and a key
//! whose deletion it acknowledged is still refused. Three runs on SQLite, two on PostgreSQL
//! (when the tests have one; see CONTRIBUTING.md).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as Process, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plumb_store_tests::TestSchema;
use serde_json::{Value, json};

use crate::{EMAIL, PASSWORD};

/// Concurrent writers while the server is killed.
const WRITERS: usize = 6;
/// Acknowledged writes to wait for before the kill.
const BEFORE_THE_KILL: usize = 40;

#[test]
fn acknowledged_writes_survive_sigkill_on_sqlite() {
    for run in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        crash_and_check(&dir, None, run);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    for run in 0..2 {
        let Some(schema) = TestSchema::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let url = schema.url();
        tokio::task::spawn_blocking(move || crash_and_check(&dir, Some(&url), run))
            .await
            .unwrap();
        schema.drop_schema().await;
    }
}

fn crash_and_check(dir: &tempfile::TempDir, database_url: Option<&str>, run: usize) {
    let data = dir.path().to_str().unwrap().to_owned();
    let mut store_args = vec!["--data-dir".to_owned(), data];
    if let Some(url) = database_url {
        store_args.extend(["--database-url".to_owned(), url.to_owned()]);
    }
    init(&store_args);
    let (mut server, address) = serve(&store_args);
    let session = sign_in(&address);
    let key = create_key(&address, &session, "Writer");
    let doomed = create_key(&address, &session, "Deleted before the crash");
    let (status, _) = call(
        &address,
        "DELETE",
        &format!("/api/v1/api-keys/{}", doomed.0),
        &session.headers(),
        None,
    )
    .unwrap();
    assert_eq!(status, 204);

    // Act: writers create groups; the server dies under them.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (address, key, acknowledged, stop) = (
                address.clone(),
                key.1.clone(),
                acknowledged.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Acquire) {
                    n += 1;
                    let body = json!({"name": format!("run {run} writer {writer} #{n}")});
                    let headers = [("authorization", key.as_str())];
                    match call(&address, "POST", "/v2/groups", &headers, Some(&body)) {
                        Ok((201, created)) => acknowledged
                            .lock()
                            .unwrap()
                            .push(created["id"].as_str().unwrap().to_owned()),
                        Ok((status, body)) => panic!("a write was refused: {status} {body}"),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < BEFORE_THE_KILL {
        assert!(Instant::now() < deadline, "the writers made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.join().unwrap();
    }

    // Assert: after a restart, every acknowledged write is there and the deleted key is refused.
    let (mut server, address) = serve(&store_args);
    let stored = all_groups(&address, &key.1);
    let acknowledged = acknowledged.lock().unwrap().clone();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "run {run}: {} of {} acknowledged writes lost",
        lost.len(),
        acknowledged.len()
    );
    let headers = [("authorization", doomed.1.as_str())];
    let (status, _) = call(&address, "GET", "/v2/groups", &headers, None).unwrap();
    assert_eq!(status, 401, "the key deleted before the crash works again");
    Process::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
}

pub(crate) struct Session {
    cookie: String,
    csrf: String,
}

impl Session {
    pub(crate) fn headers(&self) -> [(&str, &str); 2] {
        [
            ("cookie", self.cookie.as_str()),
            ("x-csrf-token", self.csrf.as_str()),
        ]
    }
}

pub(crate) fn init(store_args: &[String]) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args([
            "init",
            "--org-name",
            "Crash MSP",
            "--email",
            EMAIL,
            "--password-stdin",
        ])
        .args(store_args)
        .env_remove("PLUMB_DATA_DIR")
        .env_remove("PLUMB_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

/// Starts `plumb serve` on a free port and waits until it answers.
pub(crate) fn serve(store_args: &[String]) -> (Child, String) {
    serve_with(store_args, &[])
}

/// The same with extra environment variables.
pub(crate) fn serve_with(store_args: &[String], env: &[(&str, &str)]) -> (Child, String) {
    let address = format!("127.0.0.1:{}", crate::free_port());
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["serve", "--listen", &address])
        .args(store_args)
        .env_remove("PLUMB_DATA_DIR")
        .env_remove("PLUMB_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !matches!(call(&address, "GET", "/healthz", &[], None), Ok((200, _))) {
        assert!(Instant::now() < deadline, "plumb serve did not start");
        if let Some(status) = child.try_wait().unwrap() {
            panic!("plumb serve on {address} exited with {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, address)
}

pub(crate) fn sign_in(address: &str) -> Session {
    let body = json!({"email": EMAIL, "password": PASSWORD});
    let mut stream = TcpStream::connect(address).unwrap();
    let text = body.to_string();
    write!(
        stream,
        "POST /api/v1/session HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let cookie = head
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = serde_json::from_str(body).unwrap();
    Session {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// Creates a read-write key; returns its id and value.
pub(crate) fn create_key(address: &str, session: &Session, description: &str) -> (String, String) {
    let body = json!({"description": description, "access": "read_write"});
    let (status, created) = call(
        address,
        "POST",
        "/api/v1/api-keys",
        &session.headers(),
        Some(&body),
    )
    .unwrap();
    assert_eq!(status, 201, "{created}");
    (
        created["id"].as_str().unwrap().to_owned(),
        created["key"].as_str().unwrap().to_owned(),
    )
}

/// Every group id, page by page.
fn all_groups(address: &str, key: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut path = "/v2/groups?limit=100".to_owned();
    loop {
        let (status, page) = call(address, "GET", &path, &[("authorization", key)], None).unwrap();
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().unwrap();
        ids.extend(
            data.iter()
                .map(|group| group["id"].as_str().unwrap().to_owned()),
        );
        if !page["has_more"].as_bool().unwrap() {
            return ids;
        }
        path = format!(
            "/v2/groups?limit=100&starting_after={}",
            ids.last().unwrap()
        );
    }
}

/// One request on a new connection: the status and the JSON body (`null` when there is none).
pub(crate) fn call(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str("content-type: application/json\r\n");
    }
    request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_default();
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}
