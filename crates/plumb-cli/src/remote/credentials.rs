//! Where remote commands get a signed-in [`Client`] from: the saved-session file, or a fresh
//! sign-in with an email and password. Also turns client errors into messages for a person.
//!
//! The credentials file is created with mode 0600 (on unix) and never printed.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};

use plumb_client::{Client, ClientError, SavedSession};

/// The message for a command that has no way to sign in.
const NOT_SIGNED_IN: &str =
    "not signed in: run plumb login --server URL, or set PLUMB_EMAIL and PLUMB_PASSWORD";

/// Where remote commands get their credentials from.
///
/// When both `email` and `password` are set, each command signs in fresh (and signs out when
/// done); otherwise it uses the session saved in `file`. `plumb login` writes `file`.
#[derive(Clone, Default)]
pub struct CredentialSource {
    /// The saved-session file, normally `<config dir>/plumb/credentials.json`; `None` when the
    /// platform has no config directory.
    pub file: Option<PathBuf>,
    /// The email to sign in with (`PLUMB_EMAIL`).
    pub email: Option<String>,
    /// The password to sign in with (`PLUMB_PASSWORD`).
    pub password: Option<String>,
}

impl CredentialSource {
    /// Reads `PLUMB_EMAIL` and `PLUMB_PASSWORD` (empty counts as unset) and uses the default
    /// credentials file.
    pub fn from_env() -> Self {
        let variable = |name| std::env::var(name).ok().filter(|value| !value.is_empty());
        Self {
            file: Self::default_file(),
            email: variable("PLUMB_EMAIL"),
            password: variable("PLUMB_PASSWORD"),
        }
    }

    /// Uses (and for `login`, writes) only the session saved in `file`.
    pub fn saved(file: impl Into<PathBuf>) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::default()
        }
    }

    /// Signs in fresh with an email and password; no file is read or written.
    pub fn password(email: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            file: None,
            email: Some(email.into()),
            password: Some(password.into()),
        }
    }

    /// `<config dir>/plumb/credentials.json`, e.g. `~/.config/plumb/credentials.json` on Linux.
    pub fn default_file() -> Option<PathBuf> {
        dirs::config_dir().map(|dir| dir.join("plumb").join("credentials.json"))
    }
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSource")
            .field("file", &self.file)
            .field("email", &self.email)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A signed-in client, and whether this command signed it in (and so should sign it out).
pub(crate) struct Connection {
    pub(crate) client: Client,
    fresh: bool,
}

impl Connection {
    /// Turns a client error into a message for a person.
    pub(crate) fn error(&self, error: ClientError) -> anyhow::Error {
        describe(error, &self.client, self.fresh)
    }

    /// Signs out a session this command started. Failing to is harmless (it expires), so it is
    /// not reported.
    pub(crate) async fn finish(mut self) {
        if self.fresh {
            let _ = self.client.logout().await;
        }
    }
}

/// Gets a signed-in client for `server` (or the saved session's server).
pub(crate) async fn connect(
    source: &CredentialSource,
    server: Option<&str>,
) -> anyhow::Result<Connection> {
    let load_saved = || match &source.file {
        Some(file) => load(file),
        None => Ok(None),
    };
    if let (Some(email), Some(password)) = (&source.email, &source.password) {
        let server = match server {
            Some(server) => server.to_owned(),
            None => load_saved()?
                .map(|saved| saved.server_url().to_owned())
                .context(
                    "--server is required when signing in with PLUMB_EMAIL and PLUMB_PASSWORD",
                )?,
        };
        let mut client = Client::new(&server)?;
        if let Err(error) = client.login(email, password).await {
            return Err(describe(error, &client, true));
        }
        return Ok(Connection {
            client,
            fresh: true,
        });
    }
    let saved = load_saved()?;
    let Some(saved) = saved else {
        bail!(NOT_SIGNED_IN);
    };
    if let Some(server) = server {
        let wanted = Client::new(server)?;
        if wanted.base_url() != saved.server_url() {
            bail!(
                "the saved session is for {}, not {}: run plumb login --server {server}",
                saved.server_url(),
                wanted.base_url()
            );
        }
    }
    let client = Client::from_saved_session(saved)
        .context("the saved session cannot be used: run plumb login --server URL again")?;
    Ok(Connection {
        client,
        fresh: false,
    })
}

/// A client for `server` (or the saved session's server) without any session, for the one
/// call that needs none: revoking a key by its value.
pub(crate) fn connect_anonymous(
    source: &CredentialSource,
    server: Option<&str>,
) -> anyhow::Result<Connection> {
    let server = match server {
        Some(server) => server.to_owned(),
        None => match &source.file {
            Some(file) => load(file)?.map(|saved| saved.server_url().to_owned()),
            None => None,
        }
        .context("--server is required (no saved session names a server)")?,
    };
    Ok(Connection {
        client: Client::new(&server)?,
        fresh: false,
    })
}

/// Turns a client error into a message: the server's sentence for API errors, with a hint when
/// a saved session has run out.
pub(crate) fn describe(error: ClientError, client: &Client, fresh: bool) -> anyhow::Error {
    match error {
        ClientError::Transport(detail) => {
            anyhow!("could not reach {}: {detail}", client.base_url())
        }
        error if error.status() == Some(401) && !fresh => anyhow!(
            "the saved session has expired or was signed out: run plumb login --server {}",
            client.base_url()
        ),
        error => anyhow::Error::new(error),
    }
}

/// Reads a saved session; `None` when the file does not exist.
pub(crate) fn load(path: &Path) -> anyhow::Result<Option<SavedSession>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", path.display()));
        }
    };
    // The serde error could quote the file's content, which holds the session cookie.
    let saved = serde_json::from_str(&text).map_err(|_| {
        anyhow!(
            "{} is not a saved session: run plumb login --server URL again",
            path.display()
        )
    })?;
    Ok(Some(saved))
}

/// Writes a saved session, readable by its owner only. The file is written beside the target and
/// renamed into place, so a crash never leaves half a file.
pub(crate) fn save(path: &Path, saved: &SavedSession) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    let json = serde_json::to_vec_pretty(saved).context("could not encode the session")?;
    let temporary = path.with_extension("json.tmp");
    // A leftover from an earlier crash may have other permissions; start from nothing so the
    // mode below applies.
    let _ = fs::remove_file(&temporary);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temporary)
        .with_context(|| format!("could not create {}", temporary.display()))?;
    file.write_all(&json)
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
        .with_context(|| format!("could not write {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("could not write {}", path.display()))
}

/// Deletes the saved session, if there is one.
pub(crate) fn remove(path: &Path) -> anyhow::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("could not delete {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SavedSession {
        SavedSession::new("http://localhost:8080/", "plumb_session", "tok3n", "csrf7")
    }

    #[test]
    fn saved_sessions_are_written_for_the_owner_only() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("plumb").join("credentials.json");

        save(&path, &session()).unwrap();
        save(&path, &session()).unwrap();

        assert_eq!(load(&path).unwrap(), Some(session()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        assert!(!path.with_extension("json.tmp").exists());
    }

    #[test]
    fn a_missing_file_means_no_session_and_a_damaged_one_is_an_error() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("credentials.json");
        assert_eq!(load(&path).unwrap(), None);

        fs::write(&path, r#"{"cookie_value":"tok3n""#).unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(!error.contains("tok3n"), "{error}");
        remove(&path).unwrap();
        remove(&path).unwrap();
    }

    #[test]
    fn credential_sources_never_show_the_password() {
        let source = CredentialSource::password("a@example.com", "hunter2");
        assert!(!format!("{source:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn a_saved_session_is_not_sent_to_another_server() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("credentials.json");
        save(&path, &session()).unwrap();

        let result = connect(&CredentialSource::saved(&path), Some("http://evil.example")).await;

        let error = result.err().unwrap().to_string();
        assert!(
            error.starts_with("the saved session is for http://localhost:8080/"),
            "{error}"
        );
    }
}
