//! Boot configuration: built-in defaults, then `plumb.toml` (if given), then `PLUMB_*`
//! environment variables, then command-line flags. Immutable once the server runs.
//!
//! Every key, its environment name and its default are listed in docs/configuration.md.

mod http;
mod webhooks;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

pub use self::http::HttpConfig;
pub use self::webhooks::WebhooksConfig;

/// The whole boot configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on (`PLUMB_LISTEN`).
    pub listen: SocketAddr,
    /// Directory for the SQLite database and the master key (`PLUMB_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Database URL (`PLUMB_DATABASE_URL`); default `sqlite://<data_dir>/plumb.db`.
    pub database_url: Option<String>,
    /// The URL people reach plumb at (`PLUMB_PUBLIC_URL`); used in links and webhook trigger
    /// URLs, and `https://` makes the session cookie `Secure`. Default `http://<listen>` (for
    /// trigger URLs: `http://` and the request's `Host`).
    pub public_url: Option<String>,
    /// The master key file (`PLUMB_MASTER_KEY_FILE`); default `<data_dir>/master.key`.
    pub master_key_file: Option<PathBuf>,
    /// Log format: `text` or `json` (`PLUMB_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// A directory of agent binaries named `plumb-agent-<os>-<arch>` to serve under
    /// `/downloads/` (`PLUMB_DOWNLOADS_DIR`); the `plumb-agent` next to the `plumb` binary is
    /// served too.
    pub downloads_dir: Option<PathBuf>,
    /// Seconds between two sweeps for devices that stopped checking in
    /// (`PLUMB_OFFLINE_SWEEP_SECONDS`); at least 1.
    pub offline_sweep_seconds: u64,
    /// API key storage (`[keys]`, `PLUMB_KEYS__RECOVERABLE`).
    pub keys: KeysConfig,
    /// Connection limits and timeouts (`[http]`, `PLUMB_HTTP__*`).
    #[serde(default)]
    pub http: HttpConfig,
    /// Outgoing event webhooks (`[webhooks]`, `PLUMB_WEBHOOKS__*`).
    #[serde(default)]
    pub webhooks: WebhooksConfig,
}

/// `[keys]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysConfig {
    /// Keep a sealed copy of each key so Copy key works (default `true`); `false` is hash-only.
    pub recoverable: bool,
    /// Days the request log of each key keeps a request (default 30, 1 to 3650;
    /// `PLUMB_KEYS__REQUEST_LOG_RETENTION_DAYS`).
    #[serde(default = "default_retention_days")]
    pub request_log_retention_days: u32,
}

impl Default for KeysConfig {
    fn default() -> Self {
        Self {
            recoverable: true,
            request_log_retention_days: default_retention_days(),
        }
    }
}

fn default_retention_days() -> u32 {
    30
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./plumb-data"),
            database_url: None,
            public_url: None,
            master_key_file: None,
            log_format: LogFormat::Text,
            downloads_dir: None,
            offline_sweep_seconds: 15,
            keys: KeysConfig::default(),
            http: HttpConfig::default(),
            webhooks: WebhooksConfig::default(),
        }
    }
}

/// Flags given on the command line; `None` means "not given".
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    /// `--listen`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    /// `--data-dir`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// `--database-url`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

/// Environment variables that configure the server (others starting with `PLUMB_` are left for
/// the CLI and tests, e.g. `PLUMB_EMAIL`).
const ENV_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "master_key_file",
    "log_format",
    "downloads_dir",
    "offline_sweep_seconds",
    "keys__recoverable",
    "keys__request_log_retention_days",
    "http__header_timeout_seconds",
    "http__body_timeout_seconds",
    "http__idle_timeout_seconds",
    "http__max_connections",
    "http__trusted_proxies",
    "webhooks__allow_private_targets",
    "webhooks__attempts",
    "webhooks__retry_seconds",
    "webhooks__jitter_min_seconds",
    "webhooks__jitter_max_seconds",
    "webhooks__timeout_seconds",
    "webhooks__retention_days",
    "webhooks__poll_milliseconds",
    "webhooks__concurrency",
];

impl Config {
    /// Loads the configuration in precedence order; `file` is `--config` / `PLUMB_CONFIG`.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        let env = Env::prefixed("PLUMB_")
            .filter(|key| {
                ENV_KEYS
                    .iter()
                    .any(|known| key.as_str().eq_ignore_ascii_case(known))
            })
            .split("__");
        // The spelling of the issue that asked for it, beside the nested one.
        let allow_private = Env::raw()
            .only(&["PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS"])
            .map(|_| "webhooks.allow_private_targets".into());
        figment
            .merge(env)
            .merge(allow_private)
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("plumb.db").display()))
    }

    /// The master key file in effect.
    pub fn master_key_file(&self) -> PathBuf {
        self.master_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("master.key"))
    }

    /// The public URL in effect, without a trailing slash.
    pub fn public_url(&self) -> String {
        let url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen));
        url.trim_end_matches('/').to_owned()
    }
}

#[cfg(test)]
#[allow(
    clippy::result_large_err,
    reason = "figment::Jail's closures return figment::Error"
)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_loopback_8080_with_sqlite_in_the_data_dir() {
        let config = Config::default();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url(), "sqlite://./plumb-data/plumb.db");
        assert_eq!(
            config.master_key_file(),
            PathBuf::from("./plumb-data/master.key")
        );
        assert!(config.keys.recoverable);
        assert_eq!(config.offline_sweep_seconds, 15);
    }

    #[test]
    fn private_webhook_targets_are_allowed_by_either_environment_spelling() {
        figment::Jail::expect_with(|jail| {
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert!(!config.webhooks.allow_private_targets);
            jail.set_env("PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert!(config.webhooks.allow_private_targets);
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("PLUMB_WEBHOOKS__ALLOW_PRIVATE_TARGETS", "true");
            jail.set_env("PLUMB_WEBHOOKS__ATTEMPTS", "5");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert!(config.webhooks.allow_private_targets);
            assert_eq!(config.webhooks.attempts, 5);
            assert!(config.webhooks.validate().is_ok());
            Ok(())
        });
    }

    #[test]
    fn the_offline_sweep_interval_comes_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PLUMB_OFFLINE_SWEEP_SECONDS", "5");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(config.offline_sweep_seconds, 5);
            Ok(())
        });
    }

    #[test]
    fn http_limits_come_from_the_environment_and_zero_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PLUMB_HTTP__HEADER_TIMEOUT_SECONDS", "3");
            jail.set_env("PLUMB_HTTP__MAX_CONNECTIONS", "50");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(config.http.header_timeout_seconds, 3);
            assert_eq!(config.http.max_connections, 50);
            assert_eq!(config.http.idle_timeout_seconds, 75);
            assert!(config.http.validate().is_ok());
            jail.set_env("PLUMB_HTTP__BODY_TIMEOUT_SECONDS", "0");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            let refusal = config.http.validate().unwrap_err();
            assert!(
                refusal.contains("PLUMB_HTTP__BODY_TIMEOUT_SECONDS"),
                "{refusal}"
            );
            Ok(())
        });
    }

    #[test]
    fn a_file_then_flags_override_the_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "plumb.toml",
                "data_dir = \"/srv/plumb\"\n[keys]\nrecoverable = false\n",
            )?;
            jail.set_env("PLUMB_LISTEN", "0.0.0.0:9000");
            jail.set_env("PLUMB_EMAIL", "ignored@example.com");
            let overrides = Overrides {
                listen: Some("127.0.0.1:7000".parse().unwrap()),
                ..Overrides::default()
            };
            let config = Config::load(Some(Path::new("plumb.toml")), &overrides).map_err(|e| *e)?;
            assert_eq!(config.data_dir, PathBuf::from("/srv/plumb"));
            assert!(!config.keys.recoverable);
            assert_eq!(config.listen.to_string(), "127.0.0.1:7000");
            Ok(())
        });
    }

    #[test]
    fn environment_variables_override_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PLUMB_DATA_DIR", "/var/lib/plumb");
            jail.set_env("PLUMB_KEYS__RECOVERABLE", "false");
            let config = Config::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(config.data_dir, PathBuf::from("/var/lib/plumb"));
            assert!(!config.keys.recoverable);
            Ok(())
        });
    }

    #[test]
    fn the_documented_example_file_loads_and_matches_the_defaults() {
        // Inside a jail: other tests set PLUMB_* variables in this process meanwhile.
        figment::Jail::expect_with(|_jail| {
            let example = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../docs/config.example.toml"
            );
            let config =
                Config::load(Some(Path::new(example)), &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(config, Config::default());
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("plumb.toml", "listne = \"0.0.0.0:1\"\n")?;
            assert!(Config::load(Some(Path::new("plumb.toml")), &Overrides::default()).is_err());
            Ok(())
        });
    }
}
