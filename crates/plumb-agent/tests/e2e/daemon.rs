//! `plumb-agent run` as a service: the binary in the background, its output line by line.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use tokio::sync::mpsc;

/// A running `plumb-agent run --interval 10`.
pub struct Daemon {
    child: Child,
    lines: mpsc::UnboundedReceiver<String>,
    /// Every line read so far (standard output and standard error, interleaved).
    pub seen: Vec<String>,
}

impl Daemon {
    /// Starts the agent with the state in `state_dir`.
    pub fn start(state_dir: &Path) -> Self {
        Self::start_with_path(state_dir, None)
    }

    /// The same, finding commands in `first_in_path` before the system's (a stand-in `apt`).
    pub fn start_with_path(state_dir: &Path, first_in_path: Option<&Path>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_plumb-agent"));
        if let Some(dir) = first_in_path {
            let system = std::env::var_os("PATH").unwrap_or_default();
            let mut paths = vec![dir.to_path_buf()];
            paths.extend(std::env::split_paths(&system));
            command.env("PATH", std::env::join_paths(paths).unwrap());
        }
        let mut child = command
            .args(["run", "--interval", "10", "--state-dir"])
            .arg(state_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (sender, lines) = mpsc::unbounded_channel();
        forward(child.stdout.take().unwrap(), sender.clone());
        forward(child.stderr.take().unwrap(), sender);
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (up to 30 s) for a line starting with `start`; panics with what was seen otherwise.
    pub async fn wait_for(&mut self, start: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let line = tokio::time::timeout_at(deadline, self.lines.recv()).await;
            let Ok(Some(line)) = line else {
                panic!("no line starting with {start:?}; seen: {:#?}", self.seen);
            };
            let found = line.starts_with(start);
            self.seen.push(line);
            if found {
                return;
            }
        }
    }

    /// Sends SIGTERM and waits (up to 20 s) for the agent to exit; returns its status with
    /// every line it printed.
    pub async fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-s", "TERM", &pid]).status();
        assert!(killed.unwrap().success());
        let waited = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = self.lines.recv().await {
                self.seen.push(line);
            }
        })
        .await;
        assert!(waited.is_ok(), "the agent did not stop: {:#?}", self.seen);
        (self.child.wait().unwrap(), std::mem::take(&mut self.seen))
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // A failed test must not leave the agent running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends each line of `pipe` until it closes.
fn forward(pipe: impl Read + Send + 'static, sender: mpsc::UnboundedSender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
}
