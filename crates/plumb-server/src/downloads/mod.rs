//! The agent binaries plumb serves under `/downloads/`, so a device can fetch `plumb-agent` from
//! the server it enrolls with (docs/configuration.md, "Agent downloads").
//!
//! Two places are looked at on every listing (a directory read; files dropped in later appear
//! without a restart): the configured directory (`downloads_dir`, `PLUMB_DOWNLOADS_DIR`), whose
//! files named `plumb-agent-<os>-<arch>` are served under their own names, and the directory of
//! the running `plumb` binary, whose `plumb-agent` (built or packaged with it) is served as
//! `plumb-agent-linux-<this machine's arch>`. The configured directory wins a name clash.
//!
//! Each file's SHA-256 is computed on the blocking pool the first time it is listed and kept
//! while its size and modification time stay the same. Bound: one entry per file currently in
//! those directories; entries of files that are gone are dropped at the next listing.

pub mod pages;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use sha2::{Digest as _, Sha256};

/// The file name prefix of agent binaries.
pub const AGENT_PREFIX: &str = "plumb-agent-";

/// One downloadable file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The name it is served under (`plumb-agent-linux-x86_64`).
    pub name: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

impl Download {
    /// The machine architecture part of the name (`x86_64`), as `uname -m` prints it.
    pub fn arch(&self) -> Option<&str> {
        self.name.strip_prefix("plumb-agent-linux-")
    }
}

/// The catalog of agent binaries and their digests.
#[derive(Debug)]
pub struct Downloads {
    configured: Option<PathBuf>,
    beside: Option<PathBuf>,
    digests: Mutex<HashMap<PathBuf, (u64, SystemTime, String)>>,
}

/// The name the agent built for this machine is served under.
pub fn native_name() -> String {
    format!(
        "{AGENT_PREFIX}{}-{}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

impl Downloads {
    /// A catalog over the configured directory (if any) and the directory of the running binary
    /// (if known).
    pub fn new(configured: Option<PathBuf>, beside: Option<PathBuf>) -> Self {
        Self {
            configured,
            beside,
            digests: Mutex::new(HashMap::new()),
        }
    }

    /// The catalog for a running server: `dir`, plus the directory of the current executable.
    pub fn for_server(dir: Option<PathBuf>) -> Self {
        let beside = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf));
        Self::new(dir, beside)
    }

    /// Whether a directory is configured.
    pub fn is_configured(&self) -> bool {
        self.configured.is_some()
    }

    /// Every file on offer, by name, with its digest. Unreadable directories count as empty
    /// (and are logged); an unreadable file is skipped.
    pub async fn list(&self) -> Vec<Download> {
        let mut found: Vec<(String, PathBuf)> = Vec::new();
        if let Some(dir) = &self.configured {
            found.extend(agent_files(dir));
        }
        if let Some(dir) = &self.beside {
            let native = native_name();
            let path = dir.join("plumb-agent");
            if path.is_file() && !found.iter().any(|(name, _)| *name == native) {
                found.push((native, path));
            }
        }
        found.sort();
        let mut downloads = Vec::with_capacity(found.len());
        for (name, path) in found {
            if let Some(download) = self.describe(name, path).await {
                downloads.push(download);
            }
        }
        self.forget_except(&downloads);
        downloads
    }

    /// One file by name.
    pub async fn find(&self, name: &str) -> Option<Download> {
        self.list().await.into_iter().find(|file| file.name == name)
    }

    async fn describe(&self, name: String, path: PathBuf) -> Option<Download> {
        let meta = std::fs::metadata(&path).ok()?;
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let size = meta.len();
        let cached = self
            .lock()
            .get(&path)
            .filter(|(len, time, _)| *len == size && *time == modified)
            .map(|(_, _, digest)| digest.clone());
        let sha256 = match cached {
            Some(digest) => digest,
            None => {
                let file = path.clone();
                let digest = tokio::task::spawn_blocking(move || sha256_of(&file))
                    .await
                    .ok()?
                    .map_err(|error| {
                        tracing::warn!(%error, "could not read the agent binary {}", path.display());
                    })
                    .ok()?;
                self.lock()
                    .insert(path.clone(), (size, modified, digest.clone()));
                digest
            }
        };
        Some(Download {
            name,
            path,
            size,
            sha256,
        })
    }

    fn forget_except(&self, downloads: &[Download]) {
        self.lock()
            .retain(|path, _| downloads.iter().any(|file| file.path == *path));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (u64, SystemTime, String)>> {
        self.digests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The `plumb-agent-*` regular files of `dir`.
fn agent_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            tracing::warn!(%error, "could not read the downloads directory {}", dir.display());
            return Vec::new();
        }
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let served = name.starts_with(AGENT_PREFIX)
                && name.len() > AGENT_PREFIX.len()
                && name
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte));
            let path = entry.path();
            (served && path.is_file()).then_some((name, path))
        })
        .collect()
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 256 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn agent_files_are_listed_with_their_sha256_and_others_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plumb-agent-linux-aarch64"), b"abc").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        let beside = tempfile::tempdir().unwrap();
        std::fs::write(beside.path().join("plumb-agent"), b"").unwrap();
        let downloads = Downloads::new(
            Some(dir.path().to_path_buf()),
            Some(beside.path().to_path_buf()),
        );

        let listed = downloads.list().await;

        let names: Vec<_> = listed.iter().map(|file| file.name.as_str()).collect();
        let mut expected = vec!["plumb-agent-linux-aarch64".to_owned(), native_name()];
        expected.sort();
        assert_eq!(names, expected);
        let arm = &listed[names.iter().position(|n| n.ends_with("aarch64")).unwrap()];
        assert_eq!(
            arm.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(arm.size, 3);
        assert_eq!(arm.arch(), Some("aarch64"));
    }

    #[tokio::test]
    async fn a_changed_file_gets_a_new_digest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plumb-agent-linux-x86_64");
        std::fs::write(&file, b"abc").unwrap();
        let downloads = Downloads::new(Some(dir.path().to_path_buf()), None);
        let before = downloads.list().await[0].sha256.clone();

        std::fs::write(&file, b"abcd").unwrap();

        let after = downloads.list().await[0].sha256.clone();
        assert_ne!(before, after);
        std::fs::remove_file(&file).unwrap();
        assert!(downloads.list().await.is_empty());
        assert!(downloads.lock().is_empty());
    }
}
