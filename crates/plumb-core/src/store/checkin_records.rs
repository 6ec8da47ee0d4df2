//! Records of the digest side of a check-in (docs/agent-protocol.md, "Digests"): the digests a
//! full check-in stores beside the inventory, and the heartbeat of an agent whose inventory did
//! not change.

use time::OffsetDateTime;

use super::automations::RunRecord;
use crate::crypto::Digest;
use crate::id::DeviceId;

/// The digests of a reported inventory: SHA-256 of its canonical JSON (the stored document),
/// and of its update list alone. Stored with the inventory they describe, in the same write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinDigests {
    /// The whole document's digest.
    pub inventory: Digest,
    /// The update list's digest.
    pub updates: Digest,
}

/// A digest check-in: the device is alive and says its inventory is the one whose digests the
/// store holds. Recording it writes only `last_seen_at`, `offline_after`, `online` and
/// `public_ip_address`.
#[derive(Debug, Clone)]
pub struct Heartbeat {
    /// The device.
    pub device_id: DeviceId,
    /// The digests of the inventory the agent holds.
    pub digests: CheckinDigests,
    /// Where the request came from.
    pub public_ip_address: Option<String>,
    /// Now.
    pub seen_at: OffsetDateTime,
    /// When the device goes offline unless it checks in again (three intervals from now).
    pub offline_after: OffsetDateTime,
}

/// What recording a heartbeat did.
#[derive(Debug, Clone, PartialEq)]
pub enum HeartbeatOutcome {
    /// Recorded and durable; the device's pending runs, now running, oldest first.
    Recorded(Vec<RunRecord>),
    /// The stored digests differ (or are missing): nothing was recorded, the agent must send
    /// its full inventory.
    SendFull,
}
