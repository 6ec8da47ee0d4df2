//! One connection: hyper's HTTP/1 connection over a socket that reports its activity
//! ([`Watched`]), a service that runs each request in its own task, and a watchdog that closes
//! the connection when a deadline passes.
//!
//! The connection is always in one phase: waiting for or reading a request head (`Head`, from
//! the opening or from the first byte of the next request), handling a request (`Busy`, no
//! deadline: the body has its own, see [`super::deadline`]), or idle between requests
//! (`Idle`). A write that cannot proceed because the client does not read starts a stall.
//! A late head or a stalled write drops the connection (there is no request to answer); an
//! idle connection is shut down gracefully, which closes it unless a request just arrived.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tower::ServiceExt;

use super::Limits;
use super::deadline::DeadlineBody;
use crate::error::ApiError;

/// What every connection shares with the accept loop.
pub(super) struct Context {
    pub(super) limits: Arc<Limits>,
    pub(super) slots: Arc<Semaphore>,
    pub(super) stopping: watch::Receiver<bool>,
}

const HEAD: u8 = 0;
const BUSY: u8 = 1;
const IDLE: u8 = 2;
/// `stalled_since` when no write is waiting.
const NOT_STALLED: u64 = u64::MAX;

/// The phase of a connection and since when (milliseconds since the server's epoch).
struct Tracker {
    epoch: Instant,
    phase: AtomicU8,
    since: AtomicU64,
    stalled_since: AtomicU64,
    /// Wakes the watchdog when a deadline may have come closer.
    changed: Notify,
}

impl Tracker {
    fn new(epoch: Instant) -> Self {
        let tracker = Self {
            epoch,
            phase: AtomicU8::new(HEAD),
            since: AtomicU64::new(0),
            stalled_since: AtomicU64::new(NOT_STALLED),
            changed: Notify::new(),
        };
        tracker.since.store(tracker.now(), Ordering::Release);
        tracker
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn enter(&self, phase: u8) {
        self.since.store(self.now(), Ordering::Release);
        self.phase.store(phase, Ordering::Release);
        self.changed.notify_one();
    }

    /// Bytes arrived: an idle connection starts reading a request head.
    fn read(&self) {
        if self.phase.load(Ordering::Acquire) == IDLE {
            self.since.store(self.now(), Ordering::Release);
            if self
                .phase
                .compare_exchange(IDLE, HEAD, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                self.changed.notify_one();
            }
        }
    }

    fn wrote(&self, blocked: bool) {
        let stalled = self.stalled_since.load(Ordering::Acquire);
        if blocked && stalled == NOT_STALLED {
            self.stalled_since.store(self.now(), Ordering::Release);
            self.changed.notify_one();
        } else if !blocked && stalled != NOT_STALLED {
            self.stalled_since.store(NOT_STALLED, Ordering::Release);
        }
    }

    /// The next deadline and what passing it means, if the connection has one. Once the
    /// connection is shutting down, being idle has no deadline: the shutdown closes it.
    fn deadline(
        &self,
        limits: &Limits,
        crowded: bool,
        shutting_down: bool,
    ) -> Option<(u64, Expiry)> {
        let millis = |duration: Duration| duration.as_millis() as u64;
        let since = self.since.load(Ordering::Acquire);
        let phase = match self.phase.load(Ordering::Acquire) {
            HEAD => Some((since + millis(limits.header), Expiry::Head)),
            IDLE if shutting_down => None,
            IDLE if crowded => Some((since + millis(limits.header), Expiry::Idle)),
            IDLE => Some((since + millis(limits.idle), Expiry::Idle)),
            _ => None,
        };
        let stalled = self.stalled_since.load(Ordering::Acquire);
        let stall =
            (stalled != NOT_STALLED).then(|| (stalled + millis(limits.body), Expiry::Stalled));
        [phase, stall]
            .into_iter()
            .flatten()
            .min_by_key(|(at, _)| *at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiry {
    Head,
    Idle,
    Stalled,
}

/// Serves one connection until it closes, a deadline passes, or the server stops.
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    context: Context,
    _slot: OwnedSemaphorePermit,
) {
    let Context {
        limits,
        slots,
        mut stopping,
    } = context;
    let tracker = Arc::new(Tracker::new(limits.epoch));
    let io = TokioIo::new(Watched {
        inner: stream,
        tracker: tracker.clone(),
    });
    let service = {
        let tracker = tracker.clone();
        let body_timeout = limits.body;
        service_fn(move |request: Request<Incoming>| {
            tracker.enter(BUSY);
            let (router, tracker) = (router.clone(), tracker.clone());
            async move {
                let response = handle(router, request, peer, body_timeout).await;
                tracker.enter(IDLE);
                Ok::<_, Infallible>(response)
            }
        })
    };
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        // A backstop only: the watchdog below closes a slow head long before this.
        .header_read_timeout(limits.header + limits.idle)
        .serve_connection(io, service);
    tokio::pin!(connection);
    let mut shutting_down = false;
    loop {
        let crowded = limits.capacity - slots.available_permits() >= limits.crowded;
        let next = tracker.deadline(&limits, crowded, shutting_down);
        // Look again at least every header timeout: crowding may begin meanwhile.
        let wake = next.map_or(limits.header, |(at, _)| {
            Duration::from_millis(at.saturating_sub(tracker.now())).min(limits.header)
        });
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(error = %error, "connection ended: {error}");
                }
                return;
            }
            () = tracker.changed.notified() => {}
            () = tokio::time::sleep(wake) => {
                match next {
                    Some((at, expiry)) if at <= tracker.now() => {
                        if expiry != Expiry::Idle {
                            tracing::debug!(?expiry, "dropped a connection that was too slow");
                            return;
                        }
                        if !shutting_down {
                            shutting_down = true;
                            connection.as_mut().graceful_shutdown();
                        }
                    }
                    _ => {}
                }
            }
            _ = stopping.wait_for(|stop| *stop), if !shutting_down => {
                shutting_down = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Runs one request through the router in a task of its own (so a client that goes away never
/// cancels it half way) with the caller's address and the body deadline.
async fn handle(
    router: Router,
    request: Request<Incoming>,
    peer: SocketAddr,
    body_timeout: Duration,
) -> axum::response::Response {
    let mut request = request.map(|body| Body::new(DeadlineBody::new(body, body_timeout)));
    request.extensions_mut().insert(ConnectInfo(peer));
    match tokio::spawn(router.oneshot(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(failure) => ApiError::Internal(anyhow::anyhow!("a request handler failed: {failure}"))
            .into_response(),
    }
}

/// A socket that tells its [`Tracker`] when bytes arrive and when writes block.
struct Watched {
    inner: TcpStream,
    tracker: Arc<Tracker>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.tracker.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.tracker.wrote(polled.is_pending());
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.tracker.wrote(polled.is_pending());
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
