//! The agent's state file, `<state dir>/agent.json`: the server it enrolled with, its device id
//! and its device token. Written atomically (a temporary file renamed over the old one) and, on
//! Unix, readable by its owner only (mode 0600, in a directory created with mode 0700).
//!
//! Reading it checks that this is still so ([`make_private`]): a file other users can read
//! (their copy of the token would let them act as this device) or a directory they can write
//! (they could put a file of their own there, naming a server that would send this machine
//! commands) is repaired to 0600 / 0700 with a warning on standard error, and refused if it
//! cannot be repaired.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// The state file's name inside the state directory.
pub const STATE_FILE: &str = "agent.json";

/// What enrollment leaves behind for `plumb-agent run`. `Debug` masks the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentState {
    /// The server's base URL, as given to `enroll` (without a trailing slash).
    pub server: String,
    /// The device id the server gave this machine.
    pub device_id: String,
    /// The device token (`plumbd_...`), the agent's credential.
    pub device_token: Secret,
}

/// The state file's path in `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(STATE_FILE)
}

/// Fails when `dir` already holds a state file, unless `force` is set: enrolling again makes a
/// new device, so it must be asked for.
pub fn check_not_enrolled(dir: &Path, force: bool) -> anyhow::Result<()> {
    let file = path(dir);
    if force || !file.try_exists().unwrap_or(true) {
        return Ok(());
    }
    let device = load(dir)
        .map(|state| format!(" as device {}", state.device_id))
        .unwrap_or_default();
    bail!(
        "this machine is already enrolled{device} (state in {}); pass --force to enroll it \
         again as a new device",
        file.display()
    )
}

/// Reads the state file; a missing file says how to enroll.
pub fn load(dir: &Path) -> anyhow::Result<AgentState> {
    let file = path(dir);
    let text = match fs::read_to_string(&file) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => bail!(
            "this machine is not enrolled: {} does not exist; run `plumb-agent enroll --server \
             URL --install-key KEY` first (or pass the --state-dir it was enrolled with)",
            file.display()
        ),
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", file.display()));
        }
    };
    for warning in make_private(dir)? {
        eprintln!("warning: {warning}");
    }
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid agent state file", file.display()))
}

/// Makes the state file readable by its owner only and its directory writable by its owner
/// only; returns what it had to repair, or fails when it cannot. No-op off Unix.
pub fn make_private(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut repaired = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let checks = [
            (
                path(dir),
                0o077,
                0o600,
                "readable by other users: its device token may have been read",
            ),
            (
                dir.to_path_buf(),
                0o022,
                0o700,
                "writable by other users: its state file may have been replaced",
            ),
        ];
        for (target, forbidden, wanted, risk) in checks {
            let mode = fs::metadata(&target)
                .with_context(|| format!("could not read the permissions of {}", target.display()))?
                .permissions()
                .mode()
                & 0o7777;
            if mode & forbidden == 0 {
                continue;
            }
            fs::set_permissions(&target, fs::Permissions::from_mode(wanted)).with_context(
                || {
                    format!(
                        "{} is {risk} (mode {mode:o}) and could not be made private; run `chmod \
                     {wanted:o} {}` as its owner",
                        target.display(),
                        target.display()
                    )
                },
            )?;
            repaired.push(format!(
                "{} was {risk} (mode {mode:o}); it is now {wanted:o}. If other people can use \
                 this machine, enroll it again (`plumb-agent enroll --force`) and delete the old \
                 device on the server",
                target.display()
            ));
        }
    }
    Ok(repaired)
}

/// Writes the state file atomically, creating the directory if needed.
pub fn save(dir: &Path, state: &AgentState) -> anyhow::Result<()> {
    create_dir(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let file = path(dir);
    let temporary = dir.join(format!(".{STATE_FILE}.tmp"));
    let mut json = serde_json::to_vec_pretty(state)?;
    json.push(b'\n');
    write_private(&temporary, &json)
        .with_context(|| format!("could not write {}", temporary.display()))?;
    fs::rename(&temporary, &file).with_context(|| format!("could not write {}", file.display()))?;
    // Make the rename itself durable; not every platform can open a directory, so best effort.
    if let Ok(directory) = File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a new file only its owner can read, replacing a leftover from an interrupted write.
fn write_private(file: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // The mode applies from creation, so the token is never readable by others, not even
    // for an instant.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut handle = options.open(file)?;
    handle.write_all(bytes)?;
    handle.sync_all()
}
