//! Offline detection: a background task takes devices that missed three check-ins offline
//! (`Devices::sweep_offline`, which raises one critical `Device offline` alert per device)
//! and logs each. It runs every `offline_sweep_seconds` and stops with the server. Several
//! nodes may sweep the same database at once: the store raises each alert once.

use std::time::Duration;

use plumb_core::DomainError;
use plumb_core::store::WentOffline;
use time::OffsetDateTime;
use tokio::sync::watch;

use crate::state::AppState;

/// One sweep as of `now`: the devices that just went offline. Tests call it with a time of
/// their choosing; the background task passes the clock's time.
pub async fn sweep_at(
    state: &AppState,
    now: OffsetDateTime,
) -> Result<Vec<WentOffline>, DomainError> {
    let went = state.devices.sweep_offline(now).await?;
    for device in &went {
        tracing::warn!(
            device.id = %device.device_id,
            alert.id = %device.alert_id,
            "device {} went offline",
            device.device_id
        );
    }
    Ok(went)
}

/// Sweeps every `every` until `stopped` changes.
pub(crate) async fn sweep_until_stopped(
    state: AppState,
    every: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopped.changed() => break,
        }
        if let Err(error) = sweep_at(&state, state.clock.now()).await {
            tracing::warn!(error = %error, "could not sweep for offline devices, will retry: {error}");
        }
    }
}
