//! Serving connections: the accept loop, the connection cap and the per-connection timeouts
//! (`[http]` in the configuration, docs/configuration.md).
//!
//! axum's own `serve` keeps a connection for as long as the client likes, so plumb accepts
//! connections itself and hands each to hyper's HTTP/1 connection with three deadlines kept by
//! a watchdog ([`connection`]): the request head must arrive within the header timeout, a
//! kept-alive connection may idle for the idle timeout, and a response may wait for a client
//! that does not read it for the body timeout. The body timeout also bounds how long a request
//! body may take to arrive ([`deadline`]); a late body is a 408 with the usual JSON body.
//!
//! A connection over the cap is answered 503 and closed at once. Handlers run in their own
//! task, so a client that disconnects never cancels a write half way (a write and the cache
//! update that follows it are never separated); plumb never stops a handler on a timer for the
//! same reason.

mod connection;
mod deadline;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

pub use self::deadline::{BodyTimedOut, DeadlineBody};
use crate::config::HttpConfig;

/// File descriptors kept free for the database, logs and the listener itself.
const RESERVED_FILES: u64 = 256;

/// The answer to a connection over the cap: a complete response, written in one go.
const AT_CAPACITY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: 94\r\n\r\n\
{\"error\":\"plumb is serving as many connections as it may; retry shortly\",\"code\":\"unavailable\"}";

/// The limits every connection is served under.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) header: Duration,
    pub(crate) body: Duration,
    pub(crate) idle: Duration,
    /// Connections served at once (after fitting the open-file limit).
    pub(crate) capacity: usize,
    /// Above this many open connections, idle ones get the header timeout instead of the
    /// idle timeout, so idle keep-alives make room for new clients.
    pub(crate) crowded: usize,
    /// When the server started; connection clocks count milliseconds from here.
    pub(crate) epoch: Instant,
}

impl Limits {
    fn new(config: &HttpConfig, capacity: usize) -> Self {
        Self {
            header: Duration::from_secs(config.header_timeout_seconds),
            body: Duration::from_secs(config.body_timeout_seconds),
            idle: Duration::from_secs(config.idle_timeout_seconds),
            capacity,
            crowded: capacity - capacity / 4,
            epoch: Instant::now(),
        }
    }
}

/// Serves `router` on `listener` under `config`'s limits until `shutdown` resolves; then stops
/// accepting, lets every connection finish the request it is in (idle ones close at once) and
/// returns when all are closed.
pub async fn run(
    listener: TcpListener,
    router: Router,
    config: &HttpConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    config.validate().map_err(io::Error::other)?;
    let capacity = fit_open_file_limit(config.max_connections);
    let limits = Arc::new(Limits::new(config, capacity));
    let slots = Arc::new(Semaphore::new(capacity));
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    // Whether the last connection was refused: the log says so once per spell, not per refusal.
    let mut refusing = false;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    pause_after_accept_error(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if !refusing {
                tracing::warn!(
                    max_connections = capacity,
                    "refusing connections: plumb serves as many as it may ({capacity})"
                );
                refusing = true;
            }
            refuse(&stream);
            continue;
        };
        if refusing {
            tracing::info!("accepting connections again");
            refusing = false;
        }
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection::serve(
            stream,
            peer,
            router.clone(),
            connection::Context {
                limits: limits.clone(),
                slots: slots.clone(),
                stopping: stopping.clone(),
            },
            slot,
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a slot until it closes: all slots back means all closed.
    let permits = u32::try_from(capacity).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(permits).await;
    Ok(())
}

/// Answers a connection over the cap with a 503 and closes it. The socket is new, so the short
/// answer fits its send buffer and a non-blocking write suffices.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(AT_CAPACITY);
}

/// After a failed accept: nothing for a connection the client already gave up, a short pause
/// when the process is out of file descriptors (so the loop does not spin), as axum does.
async fn pause_after_accept_error(error: &io::Error) {
    if matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %error, "could not accept a connection: {error}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Raises the open-file limit so `wanted` connections fit under it, and returns how many do.
fn fit_open_file_limit(wanted: usize) -> usize {
    let needed = wanted as u64 + RESERVED_FILES;
    // Not a Unix with rlimits: trust the configuration.
    let Ok(limit) = rlimit::increase_nofile_limit(needed) else {
        return wanted;
    };
    if limit >= needed {
        return wanted;
    }
    let fitting = usize::try_from(limit.saturating_sub(RESERVED_FILES))
        .unwrap_or(wanted)
        .max(1);
    tracing::warn!(
        max_connections = wanted,
        serving = fitting,
        "the open-file limit ({limit}) leaves room for {fitting} connections, not the \
         {wanted} of http.max_connections; raise the limit (ulimit -n, LimitNOFILE=) to serve more"
    );
    fitting
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_over_the_cap_is_a_whole_json_response() {
        let text = std::str::from_utf8(AT_CAPACITY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["code"], "unavailable");
    }
}
