//! The master key file: 64 hex characters, created with mode 0600 on first start, read by every
//! node (and by `plumb master-key rotate`). Re-exported from [`crate::startup`].

use std::path::Path;

use anyhow::Context;
use plumb_core::crypto::{self, SECRET_LEN};

/// Reads the master key file (64 hex characters), creating it with mode 0600 if missing.
pub fn load_master_key(path: &Path) -> anyhow::Result<[u8; SECRET_LEN]> {
    match std::fs::metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = crypto::random_secret();
            write_private(path, &format!("{}\n", hex::encode(key))).with_context(|| {
                format!("could not create the master key file {}", path.display())
            })?;
            tracing::info!(path = %path.display(), "created a new master key file");
            Ok(key)
        }
        _ => read_master_key(path),
    }
}

/// Reads an existing master key file (64 hex characters); never creates one.
pub fn read_master_key(path: &Path) -> anyhow::Result<[u8; SECRET_LEN]> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the master key file {}", path.display()))?;
    let bytes = hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; SECRET_LEN]>::try_from(bytes).ok());
    bytes.with_context(|| {
        format!(
            "the master key file {} must hold 64 hex characters",
            path.display()
        )
    })
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_master_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let created = load_master_key(&path).unwrap();
        assert_eq!(load_master_key(&path).unwrap(), created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_damaged_master_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        std::fs::write(&path, "not hex").unwrap();
        assert!(load_master_key(&path).is_err());
    }
}
