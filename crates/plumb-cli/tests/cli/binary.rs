//! The `plumb` binary itself, run as a child process: `init`, `org create`, `migrate` and
//! `serve` (setup link, health check, clean stop on SIGTERM, plain-text logs in a file).

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use crate::{EMAIL, PASSWORD};

pub(crate) fn plumb_binary(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(args)
        .env_remove("PLUMB_DATA_DIR")
        .env_remove("PLUMB_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn init_creates_the_first_organization_once_and_org_create_adds_more() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();

    let first = plumb_binary(
        &[
            "init",
            "--org-name",
            "Acme MSP",
            "--email",
            EMAIL,
            "--password-stdin",
            "--data-dir",
            data,
        ],
        &format!("{PASSWORD}\n"),
    );
    let second = plumb_binary(
        &[
            "init",
            "--org-name",
            "Again",
            "--email",
            "b@acme.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        &format!("{PASSWORD}\n"),
    );
    let other = plumb_binary(
        &[
            "org",
            "create",
            "--name",
            "Other MSP",
            "--owner-email",
            "o@other.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        PASSWORD,
    );
    let short = plumb_binary(
        &[
            "org",
            "create",
            "--name",
            "Weak",
            "--owner-email",
            "w@weak.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "short",
    );
    let migrate = plumb_binary(&["migrate", "--data-dir", data], "");

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("created organization Acme MSP"));
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already set up"));
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    assert!(migrate.status.success());
    assert!(dir.path().join("plumb.db").exists());
}

#[test]
fn serve_prints_a_setup_link_answers_health_checks_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let listen = format!("127.0.0.1:{}", crate::free_port());
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args([
            "serve",
            "--listen",
            &listen,
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .env_remove("NO_COLOR")
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    let mut link = String::new();
    while !link.contains("/setup?token=") {
        link.clear();
        assert!(
            stdout.read_line(&mut link).unwrap() > 0,
            "serve exited before printing the setup link"
        );
    }
    let health = get(&listen, "/healthz");
    let kill = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));

    assert!(
        link.trim()
            .starts_with(&format!("http://{listen}/setup?token=")),
        "{link}"
    );
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(kill.success());
    assert!(status.success(), "serve did not exit cleanly: {status}");
    assert!(dir.path().join("plumb.db").exists());
    assert!(dir.path().join("master.key").exists());
    // Logs written to a file are plain text: no terminal colour codes.
    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(logged.contains("shut down cleanly"), "{logged}");
    assert!(!logged.contains('\u{1b}'), "{logged}");
}

fn get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn wait_with_timeout(
    child: &mut std::process::Child,
    timeout: Duration,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("serve did not stop within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
