//! Stop signals for `plumb-agent run`: SIGTERM (systemd, `kill`) and SIGINT (Ctrl-C) on Unix,
//! Ctrl-C elsewhere. Installed once before the first check-in, so a signal that arrives while a
//! check-in or a run is under way is kept and acted on as soon as it is over.

use std::io;

/// Listens for the signals that ask the agent to stop.
pub struct StopSignal {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl StopSignal {
    /// Starts listening (from now on these signals no longer end the process at once). Needs a
    /// Tokio runtime with I/O enabled.
    pub fn install() -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Waits for the next stop signal (or returns at once if one came since the last call).
    pub async fn received(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
