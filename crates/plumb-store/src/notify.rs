//! Several nodes, one truth: key changes travel between nodes with LISTEN/NOTIFY.
//!
//! Each key change sends `pg_notify(channel, 'k:<digest hex>')` inside its own transaction, so
//! the announcement leaves exactly when the change commits (and never for a change rolled
//! back); each inventory write sends `'g'` (`Tx::key_changed`, `Tx::groups_changed`). Every
//! node runs a [`ChangeWatch`]: a task holding one dedicated connection that LISTENs on the
//! channel, hands each digest to the node's
//! [`ChangeSink`] (which drops it from the verifier's cache) and clears the store's group cache
//! on `'g'`. Payloads carry digests only, never a key.
//!
//! A lost channel must not leave stale keys served, so the watch reports `feed_lost` as soon as
//! the connection fails, and a heartbeat catches a connection that dies silently: every
//! [`HEARTBEAT`] the watch notifies itself over its own connection, and a ping not echoed by the
//! next beat counts as a loss. The watch then reconnects with backoff, LISTENs again, and only
//! then reports `feed_restored` (the sink clears its cache, as announcements may have been
//! missed in between). The group cache follows the same switches.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use plumb_core::coherence::ChangeSink;
use plumb_core::group_cache::GroupCache;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use plumb_core::crypto::Digest;

/// Payload prefixes: a changed key's digest, and a watch's own heartbeat.
const KEY_PREFIX: &str = "k:";
const PING_PREFIX: &str = "p:";
/// The payload of an inventory write (groups or devices).
pub(crate) const GROUPS: &str = "g";

/// The payload announcing a changed key: its digest in hex, never the key.
pub(crate) fn key_payload(digest: &Digest) -> String {
    format!("{KEY_PREFIX}{}", hex::encode(digest.0))
}

/// The channel name for a schema, so two installations sharing a database (or two test
/// schemas) never hear each other. Channel names are identifiers (at most 63 bytes); schema
/// names are too, so only the prefix can push one over.
pub(crate) fn channel_name(schema: &str) -> String {
    let mut name = format!("plumb.{schema}");
    while name.len() > 63 {
        name.pop();
    }
    name
}

/// A digest from its 64 hex characters.
fn parse_digest(hex: &str) -> Option<Digest> {
    let bytes = hex::decode(hex).ok()?;
    Some(Digest(<[u8; 32]>::try_from(bytes).ok()?))
}

/// How often the watch checks its own connection; a silently dead connection is noticed
/// within two beats.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// The longest wait between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// What one node's feed keeps true: the verifier (through its sink) and the group cache.
struct Caches {
    sink: Arc<dyn ChangeSink>,
    groups: Arc<GroupCache>,
}

impl Caches {
    fn lost(&self) {
        self.sink.feed_lost();
        self.groups.set_coherent(false);
    }

    fn restored(&self) {
        self.sink.feed_restored();
        self.groups.set_coherent(true);
    }
}

/// A running change feed; stop it with [`ChangeWatch::stop`] before closing the store.
pub struct ChangeWatch {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    backend_pid: Arc<AtomicU32>,
    held: Arc<AtomicBool>,
}

impl ChangeWatch {
    /// The server process id of the listening connection while the feed is up (0 otherwise):
    /// for operators matching `pg_stat_activity`, and for tests that cut the connection.
    pub fn backend_pid(&self) -> u32 {
        self.backend_pid.load(Ordering::Acquire)
    }

    /// While `held`, a lost connection is not re-established: for failure tests that need the
    /// feed to stay down for a while. Releasing it reconnects at once.
    pub fn hold_reconnection(&self, held: bool) {
        self.held.store(held, Ordering::Release);
    }

    /// Stops listening and waits for the task to end.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(error = %error, "the change watch failed: {error}");
        }
    }
}

/// Starts feeding `sink` (and `groups`) with the changes of every node on `channel`. The sink
/// is told `feed_lost` at once and `feed_restored` when the first LISTEN is in place, so a node
/// never serves from a cache the feed does not cover.
pub(crate) fn watch(
    (options, channel): (PgConnectOptions, String),
    groups: Arc<GroupCache>,
    sink: Arc<dyn ChangeSink>,
) -> ChangeWatch {
    let caches = Caches { sink, groups };
    caches.lost();
    let (stop, stopped) = watch::channel(false);
    let backend_pid = Arc::new(AtomicU32::new(0));
    let held = Arc::new(AtomicBool::new(false));
    let task = tokio::spawn(run(
        (options, channel),
        caches,
        (backend_pid.clone(), held.clone()),
        stopped,
    ));
    ChangeWatch {
        stop,
        task,
        backend_pid,
        held,
    }
}

/// Why one connection's listening ended.
enum Ended {
    Stopped,
    Lost(String),
}

async fn run(
    (options, channel): (PgConnectOptions, String),
    caches: Caches,
    (backend_pid, held): (Arc<AtomicU32>, Arc<AtomicBool>),
    mut stopped: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(50);
    loop {
        while held.load(Ordering::Acquire) {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(5)) => {}
                _ = stopped.changed() => return,
            }
        }
        let connected = tokio::select! {
            connected = connect(&options, &channel) => connected,
            _ = stopped.changed() => return,
        };
        let (pool, mut listener, pid) = match connected {
            Ok(connected) => connected,
            Err(error) => {
                tracing::warn!(error = %error, "could not listen for key changes, retrying: {error}");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stopped.changed() => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = Duration::from_millis(50);
        backend_pid.store(pid, Ordering::Release);
        caches.restored();
        tracing::info!(channel, "listening for key changes from other nodes");
        let ended = listen(&mut listener, (&channel, pid), &caches, &mut stopped).await;
        backend_pid.store(0, Ordering::Release);
        caches.lost();
        drop(listener);
        pool.close().await;
        match ended {
            Ended::Stopped => return,
            Ended::Lost(reason) => {
                tracing::warn!(
                    reason,
                    "lost the key change feed: verifying every key against the database until \
                     it is back ({reason})"
                );
            }
        }
    }
}

/// A listener on its own one-connection pool, so a broken connection is never handed back to
/// the store's pool, with its server process id.
async fn connect(
    options: &PgConnectOptions,
    channel: &str,
) -> Result<(PgPool, PgListener, u32), sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(HEARTBEAT * 2)
        .connect_with(options.clone().application_name("plumb change watch"))
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    // A lost connection is reported to us (not silently re-established) so we can tell the sink.
    listener.eager_reconnect(false);
    listener.listen(channel).await?;
    let pid: i32 = sqlx::query_scalar("select pg_backend_pid()")
        .fetch_one(&mut listener)
        .await?;
    Ok((pool, listener, u32::try_from(pid).unwrap_or_default()))
}

/// Listens until the connection is lost or the watch is stopped. Pings are numbered and
/// carry this connection's process id, since every node's pings reach every node.
async fn listen(
    listener: &mut PgListener,
    (channel, pid): (&str, u32),
    caches: &Caches,
    stopped: &mut watch::Receiver<bool>,
) -> Ended {
    let mut ticker = tokio::time::interval(HEARTBEAT);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick completes at once; the first ping goes out one beat after connecting.
    ticker.tick().await;
    let mut sent: u64 = 0;
    let mut echoed: u64 = 0;
    loop {
        tokio::select! {
            _ = stopped.changed() => return Ended::Stopped,
            received = listener.try_recv() => match received {
                Ok(Some(notification)) => {
                    let payload = notification.payload();
                    if payload == GROUPS {
                        caches.groups.invalidate();
                    } else if let Some(hex) = payload.strip_prefix(KEY_PREFIX) {
                        match parse_digest(hex) {
                            Some(digest) => caches.sink.keys_changed(&[digest]),
                            None => tracing::warn!("ignored a malformed key change notification"),
                        }
                    } else if let Some(number) = payload
                        .strip_prefix(PING_PREFIX)
                        .and_then(|ping| own_ping(ping, pid))
                    {
                        echoed = echoed.max(number);
                    }
                }
                Ok(None) => return Ended::Lost("the connection closed".to_owned()),
                Err(error) => return Ended::Lost(error.to_string()),
            },
            _ = ticker.tick() => {
                if echoed < sent {
                    return Ended::Lost(format!("no heartbeat echo within {HEARTBEAT:?}"));
                }
                sent += 1;
                let ping = sqlx::query("select pg_notify($1, $2)")
                    .bind(channel)
                    .bind(format!("{PING_PREFIX}{pid}:{sent}"))
                    .execute(&mut *listener);
                match tokio::time::timeout(HEARTBEAT, ping).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => return Ended::Lost(error.to_string()),
                    Err(_) => return Ended::Lost("the heartbeat timed out".to_owned()),
                }
            }
        }
    }
}

/// The number of a ping `<pid>:<number>` if `pid` sent it.
fn own_ping(ping: &str, pid: u32) -> Option<u64> {
    let (sender, number) = ping.split_once(':')?;
    (sender.parse::<u32>().ok()? == pid).then(|| number.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_payloads_round_trip_and_junk_is_refused() {
        let digest = Digest([0xab; 32]);
        let payload = key_payload(&digest);
        let hex = payload.strip_prefix(KEY_PREFIX).unwrap();
        assert_eq!(parse_digest(hex), Some(digest));
        assert_eq!(parse_digest("abcd"), None);
        assert_eq!(parse_digest("zz"), None);
    }

    #[test]
    fn channel_names_fit_an_identifier() {
        assert_eq!(channel_name("public"), "plumb.public");
        assert_eq!(channel_name(&"s".repeat(63)).len(), 63);
    }

    #[test]
    fn only_this_connections_pings_count_as_echoes() {
        assert_eq!(own_ping("42:7", 42), Some(7));
        assert_eq!(own_ping("43:7", 42), None);
        assert_eq!(own_ping("garbage", 42), None);
    }
}
