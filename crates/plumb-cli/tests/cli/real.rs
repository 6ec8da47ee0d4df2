//! The real `plumb` binary, run as a child process against a server on a loopback port, the way
//! a person or a script runs it: signed in once with `plumb login` (the session saved in a
//! private config directory), then one process per command. Also the settings that redact the
//! volatile values (ids, times, keys, the server's port) of `--json` answers, so their shapes
//! can be pinned by snapshots (`cli_snapshot!`).

use std::io::Write;
use std::process::{Command as Process, Stdio};

use insta::internals::Content;
use plumb_core::id::DeviceId;
use plumb_core::store::NewDevice;
use serde_json::Value;
use tempfile::TempDir;

use crate::server::{Server, json, server};
use crate::{EMAIL, PASSWORD};

/// What one run of the binary left behind.
#[derive(Debug)]
pub(crate) struct Output {
    /// The exit code (`None` when killed by a signal).
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// A server, and a config directory holding the session `plumb login` saved for it.
pub(crate) struct Plumb {
    pub(crate) server: Server,
    config: TempDir,
}

/// Starts a server and signs in to it with `plumb login` (password from `PLUMB_PASSWORD`).
pub(crate) async fn signed_in() -> Plumb {
    let plumb = signed_out().await;
    plumb.login().await;
    plumb
}

/// Starts a server; no session is saved yet.
pub(crate) async fn signed_out() -> Plumb {
    Plumb {
        server: server().await,
        config: tempfile::tempdir().unwrap(),
    }
}

impl Plumb {
    /// Runs `plumb login` (password from `PLUMB_PASSWORD`), which must succeed.
    pub(crate) async fn login(&self) {
        let url = self.server.url.clone();
        let login = self
            .run_with(
                &["login", "--server", &url, "--email", EMAIL],
                &[("PLUMB_PASSWORD", PASSWORD)],
                "",
            )
            .await;
        assert_eq!(login.code, Some(0), "plumb login: {login:?}");
    }

    /// The saved-session file.
    pub(crate) fn credentials_file(&self) -> std::path::PathBuf {
        self.config.path().join("plumb").join("credentials.json")
    }

    /// Runs `plumb <args>` with nothing on stdin.
    pub(crate) async fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[], "").await
    }

    /// Runs `plumb <args>` with extra environment variables and `stdin` on its standard input
    /// (a pipe, never a terminal). `PLUMB_EMAIL` and `PLUMB_PASSWORD` are unset unless given.
    pub(crate) async fn run_with(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        stdin: &str,
    ) -> Output {
        let mut command = Process::new(env!("CARGO_BIN_EXE_plumb"));
        command
            .args(args)
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("HOME", self.config.path())
            .env_remove("PLUMB_EMAIL")
            .env_remove("PLUMB_PASSWORD")
            .env_remove("PLUMB_NEW_USER_PASSWORD")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let stdin = stdin.to_owned();
        // The server answers on this test's runtime: wait for the child off it.
        tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            // A command that does not read stdin may exit first; that is not an error.
            let _ = pipe.write_all(stdin.as_bytes());
            drop(pipe);
            let output = child.wait_with_output().unwrap();
            Output {
                code: output.status.code(),
                stdout: String::from_utf8(output.stdout).unwrap(),
                stderr: String::from_utf8(output.stderr).unwrap(),
            }
        })
        .await
        .unwrap()
    }

    /// Runs `plumb <args>`, which must exit 0; its stdout.
    pub(crate) async fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert_eq!(output.code, Some(0), "plumb {args:?}: {output:?}");
        output.stdout
    }

    /// Runs `plumb <args> --json`, which must exit 0 and print JSON.
    pub(crate) async fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        json(&self.ok(&args).await)
    }

    /// Runs `plumb <args>`, which must exit with `code` and print nothing on stdout; its stderr.
    pub(crate) async fn fails(&self, code: i32, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert_eq!(output.code, Some(code), "plumb {args:?}: {output:?}");
        assert_eq!(output.stdout, "", "plumb {args:?}");
        output.stderr
    }

    /// Adds a device as enrollment would (only agents add devices); its id.
    pub(crate) async fn device(&self, hostname: &str) -> String {
        let server = &self.server;
        let id = DeviceId::new();
        let device = NewDevice {
            id,
            organization_id: server.organization_id,
            group_id: None,
            hostname: hostname.to_owned(),
            serial_number: None,
            token_digest: None,
            inventory: None,
            created_at: server.state.clock.now(),
        };
        server.state.store.insert_device(&device).await.unwrap();
        id.to_string()
    }

    /// Snapshot settings: ids, times, key values and URLs (which hold the port and tokens) are
    /// replaced by placeholders wherever they appear; a null stays null, so the snapshot still
    /// tells a set value from a missing one.
    pub(crate) fn redactions(&self) -> insta::Settings {
        let mut settings = insta::Settings::clone_current();
        let ids = [
            "id",
            "group_id",
            "parent_id",
            "device_id",
            "automation_id",
            "target_id",
            "source_group_id",
            "event_id",
        ];
        for field in ids {
            settings.add_redaction(&format!(".**.{field}"), placeholder("[id]"));
        }
        let times = [
            "created_at",
            "updated_at",
            "started_at",
            "ended_at",
            "resolved_at",
            "last_seen_at",
            "last_used_at",
            "previous_valid_until",
        ];
        for field in times {
            settings.add_redaction(&format!(".**.{field}"), placeholder("[time]"));
        }
        for field in ["key", "authorization"] {
            settings.add_redaction(&format!(".**.{field}"), placeholder("[secret]"));
        }
        for field in ["url", "install_command", "set_password_url"] {
            settings.add_redaction(&format!(".**.{field}"), placeholder("[url]"));
        }
        settings.add_redaction(".**.next_cursor", placeholder("[cursor]"));
        settings.add_redaction(".**.masked_key", insta::dynamic_redaction(masked));
        settings
    }
}

/// Replaces a present value with `text`; keeps null.
fn placeholder(text: &'static str) -> insta::internals::Redaction {
    insta::dynamic_redaction(move |value: Content, _| {
        if value.is_nil() {
            value
        } else {
            Content::from(text.to_owned())
        }
    })
}

/// A masked key keeps its prefix and mask (`plumb_****`); its last characters vary.
fn masked(value: Content, _: insta::internals::ContentPath<'_>) -> Content {
    match value.as_str().and_then(|text| text.split_once("****")) {
        Some((prefix, _)) => Content::from(format!("{prefix}****[last 4]")),
        None => value,
    }
}

/// `cli_snapshot!(plumb, "name", value)`: the JSON snapshot `name` of this test module, with
/// [`Plumb::redactions`].
macro_rules! cli_snapshot {
    ($plumb:expr, $name:expr, $value:expr) => {
        $plumb
            .redactions()
            .bind(|| insta::assert_json_snapshot!($name, $value))
    };
}
pub(crate) use cli_snapshot;
