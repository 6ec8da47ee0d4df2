//! Startup: open and migrate the store, load the pepper and master key, build [`AppState`],
//! print the first-run setup link if needed, and start the usage write-behind and the offline
//! sweeper.
//!
//! On PostgreSQL it also starts the change watch that keeps this node's key cache true while
//! other nodes change keys (see `plumb_store::ChangeWatch`).
//!
//! Shutdown reverses it: stop the change watch and the write-behind, flush what it holds, close
//! the store (which checkpoints SQLite's WAL).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use plumb_core::Store;
use plumb_core::accounts::Accounts;
use plumb_core::activity::Activities;
use plumb_core::agents::Agents;
use plumb_core::alerts::Alerts;
use plumb_core::automations::Automations;
use plumb_core::clock::{Clock, SystemClock};
use plumb_core::crypto::{self, KeyHasher, SECRET_LEN, Sealer};
use plumb_core::custom_fields::CustomFields;
use plumb_core::devices::Devices;
use plumb_core::events::endpoints::Endpoints;
use plumb_core::events::outbox::Outbox;
use plumb_core::groups::Groups;
use plumb_core::install_keys::InstallKeys;
use plumb_core::keys::{KeyStorage, Keys};
use plumb_core::request_log::RequestLog;
use plumb_core::tags::Tags;
use plumb_core::token;
use plumb_core::updates::Updates;
use plumb_core::verifier::KeyVerifier;
use plumb_store::ChangeWatch;
use secrecy::ExposeSecret;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, HttpConfig};
use crate::database::Database;
pub use crate::database::open_store;
use crate::downloads::Downloads;
use crate::events::Deliverer;
use crate::extract::TrustedProxies;
pub use crate::master_key_file::{load_master_key, read_master_key};
use crate::offline;
use crate::state::{AppState, Services, SetupGate, WebSettings};

/// The setting that holds the API key pepper (in the database, so every node shares it and a
/// lost master key never breaks verification).
const PEPPER_SETTING: &str = "api_key_pepper";
/// How often gathered key usage is written.
const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Flushes between two prunings of the request log (an hour).
const PRUNE_EVERY: u64 = 3600;
/// How long startup waits for the first change feed connection before serving anyway (every
/// key is then verified against the database until the feed is up).
const FEED_WAIT: Duration = Duration::from_secs(2);

/// A started application: state plus the background work that must be stopped cleanly.
pub struct App {
    /// The state handlers see.
    pub state: AppState,
    /// The setup link, if the installation has no organization yet (printed by `plumb serve`).
    pub setup_link: Option<String>,
    /// The connection limits [`crate::serve`] applies.
    pub http: HttpConfig,
    database: Database,
    changes: Option<ChangeWatch>,
    stop: watch::Sender<bool>,
    flusher: JoinHandle<()>,
    sweeper: JoinHandle<()>,
    deliverer: Deliverer,
    delivery: JoinHandle<()>,
}

impl App {
    /// Starts everything `config` describes with the real clock.
    pub async fn start(config: &Config) -> anyhow::Result<Self> {
        Self::start_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Starts with a given clock (tests fix time).
    pub async fn start_with_clock(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        anyhow::ensure!(
            config.offline_sweep_seconds >= 1,
            "offline_sweep_seconds must be at least 1"
        );
        config.http.validate().map_err(anyhow::Error::msg)?;
        config.webhooks.validate().map_err(anyhow::Error::msg)?;
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "could not create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let database = open_store(&config.database_url()).await?;
        let dyn_store: Arc<dyn Store> = database.store();
        let pepper = dyn_store
            .init_setting(PEPPER_SETTING, &crypto::random_secret(), clock.now())
            .await
            .context("could not load the api key pepper")?;
        let pepper: [u8; SECRET_LEN] = pepper
            .try_into()
            .map_err(|_| anyhow::anyhow!("the stored api key pepper has the wrong length"))?;
        let sealer = if config.keys.recoverable {
            Some(Sealer::new(&load_master_key(&config.master_key_file())?))
        } else {
            None
        };
        let storage = match &sealer {
            Some(sealer) => KeyStorage::Recoverable(Box::new(sealer.clone())),
            None => KeyStorage::HashOnly,
        };
        let hasher = KeyHasher::new(&pepper);
        let verifier = Arc::new(KeyVerifier::new(KeyHasher::new(&pepper), dyn_store.clone()));
        let changes = database.watch_changes(verifier.clone());
        if changes.is_some() {
            wait_for_feed(&verifier).await;
        }
        let public_url = config.public_url();
        let web = WebSettings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            public_url_configured: config.public_url.is_some(),
            trusted_proxies: TrustedProxies::from_entries(&config.http.trusted_proxies),
        };
        if !web.secure_cookies {
            tracing::warn!(
                "the public url is not https: session cookies are sent without the Secure flag"
            );
        }
        let retention = config.keys.request_log_retention_days;
        anyhow::ensure!(
            (1..=3650).contains(&retention),
            "keys.request_log_retention_days must be from 1 to 3650 \
             (PLUMB_KEYS__REQUEST_LOG_RETENTION_DAYS)"
        );
        let request_log = Arc::new(RequestLog::new(
            dyn_store.clone(),
            time::Duration::days(i64::from(retention)),
        ));
        let state = AppState::new(Services {
            keys: Keys::new(dyn_store.clone(), verifier.clone(), storage),
            accounts: Arc::new(Accounts::new(dyn_store.clone())),
            groups: Groups::new(dyn_store.clone()),
            devices: Devices::new(dyn_store.clone()),
            tags: Tags::new(dyn_store.clone()),
            custom_fields: CustomFields::new(dyn_store.clone()),
            alerts: Alerts::new(dyn_store.clone()),
            updates: Updates::new(dyn_store.clone()),
            activities: Activities::new(dyn_store.clone()),
            store: dyn_store.clone(),
            clock,
            setup: Arc::new(SetupGate::default()),
            web: Arc::new(web),
            install_keys: InstallKeys::new(dyn_store.clone(), hasher.clone()),
            agents: Agents::new(dyn_store.clone(), hasher.clone()),
            automations: Automations::new(dyn_store.clone(), hasher, sealer.clone()),
            endpoints: Endpoints::new(
                dyn_store.clone(),
                sealer.clone(),
                config.webhooks.allow_private_targets,
            ),
            request_log: request_log.clone(),
            rate_limits: Arc::default(),
            bad_keys: Arc::default(),
            downloads: Arc::new(Downloads::for_server(config.downloads_dir.clone())),
        });
        let deliverer = Deliverer::new(
            Outbox::new(dyn_store.clone(), sealer),
            state.clock.clone(),
            &config.webhooks,
        )?;
        let setup_link = if dyn_store.has_organizations().await? {
            None
        } else {
            let issued = token::issue();
            state.setup.arm(issued.digest);
            Some(format!(
                "{}/setup?token={}",
                state.web.public_url,
                issued.value.expose_secret()
            ))
        };
        let (stop, stopped) = watch::channel(false);
        let sweeper = tokio::spawn(offline::sweep_until_stopped(
            state.clone(),
            Duration::from_secs(config.offline_sweep_seconds),
            stopped.clone(),
        ));
        let delivery = tokio::spawn(deliverer.clone().run_until_stopped(stopped.clone()));
        let writer = Writer {
            verifier,
            request_log,
            clock: state.clock.clone(),
        };
        let flusher = tokio::spawn(flush_usage_until_stopped(writer, stopped));
        Ok(Self {
            state,
            setup_link,
            http: config.http.clone(),
            database,
            changes,
            stop,
            flusher,
            sweeper,
            deliverer,
            delivery,
        })
    }

    /// Closes the database while the server keeps running: every request that needs the store
    /// then fails. For failure-injection tests; [`App::shutdown`] is the normal way out.
    pub async fn close_database(&self) {
        self.database.close().await;
    }

    /// This node's event webhook delivery worker (tests drive it by hand too).
    pub fn deliverer(&self) -> &Deliverer {
        &self.deliverer
    }

    /// The database this node serves.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The PostgreSQL process id of the change feed's connection while it is up: for operators
    /// matching `pg_stat_activity`, and for tests that cut the connection. `None` on SQLite
    /// and while the feed is down.
    pub fn change_feed_pid(&self) -> Option<u32> {
        self.changes
            .as_ref()
            .map(ChangeWatch::backend_pid)
            .filter(|pid| *pid != 0)
    }

    /// For failure tests: while `held`, a lost change feed is not re-established (no effect on
    /// SQLite).
    pub fn hold_change_feed(&self, held: bool) {
        if let Some(changes) = &self.changes {
            changes.hold_reconnection(held);
        }
    }

    /// Stops the change watch and the write-behind after a last flush, and closes the store.
    pub async fn shutdown(self) {
        if let Some(changes) = self.changes {
            changes.stop().await;
        }
        let _ = self.stop.send(true);
        if let Err(error) = self.sweeper.await {
            tracing::error!(error = %error, "the offline sweeper failed: {error}");
        }
        if let Err(error) = self.delivery.await {
            tracing::error!(error = %error, "the webhook delivery worker failed: {error}");
        }
        if let Err(error) = self.flusher.await {
            tracing::error!(error = %error, "the usage writer failed: {error}");
        }
        self.database.close().await;
        tracing::info!("shut down cleanly");
    }
}

/// Waits (briefly) until the change feed is up, so a node normally starts with a usable cache.
async fn wait_for_feed(verifier: &KeyVerifier) {
    let deadline = tokio::time::Instant::now() + FEED_WAIT;
    while !verifier.is_coherent() {
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(
                "the key change feed is not up yet: verifying every key against the database \
                 until it is"
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// What the write-behind task writes: key usage and the request log (and it prunes the log).
struct Writer {
    verifier: Arc<KeyVerifier>,
    request_log: Arc<RequestLog>,
    clock: Arc<dyn Clock>,
}

impl Writer {
    async fn flush(&self, when: &str) {
        if let Err(error) = self.verifier.flush_usage().await {
            tracing::warn!(error = %error, "could not write api key usage {when}: {error}");
        }
        if let Err(error) = self.request_log.flush().await {
            tracing::warn!(error = %error, "could not write the api key request log {when}: {error}");
        }
    }

    async fn prune(&self) {
        match self.request_log.prune(self.clock.now()).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "pruned {pruned} old api key requests"),
            Err(error) => {
                tracing::warn!(error = %error, "could not prune api key requests: {error}")
            }
        }
    }
}

async fn flush_usage_until_stopped(writer: Writer, mut stopped: watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(FLUSH_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopped.changed() => break,
        }
        writer.flush("(will retry)").await;
        // The first tick is at once: prune at startup, then every PRUNE_EVERY ticks.
        if ticks.is_multiple_of(PRUNE_EVERY) {
            writer.prune().await;
        }
        ticks += 1;
    }
    writer.flush("at shutdown").await;
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:****{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact("postgres://plumb:s3cret@db:5432/plumb"),
            "postgres://plumb:****@db:5432/plumb"
        );
        assert_eq!(
            redact("sqlite://./plumb-data/plumb.db"),
            "sqlite://./plumb-data/plumb.db"
        );
    }
}
