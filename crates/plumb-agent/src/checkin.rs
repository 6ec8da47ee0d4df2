//! Check-ins with digests (docs/agent-protocol.md, "Digests"): the agent remembers the digests
//! of the inventory the server last accepted in full and, while its inventory keeps those
//! digests, sends only them. A changed inventory, a first check-in (the agent keeps no digests
//! across restarts) and the server's "send full" (a restored database, say) send the whole
//! inventory. The load tool (`plumb dev checkin-load`) checks in through this too.

use plumb_proto::agent::{CheckinRequest, CheckinResponse, InventoryDigests};
use plumb_proto::inventory::Inventory;

use crate::client::{AgentClient, ClientError};
use crate::secret::Secret;

/// How a check-in went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Only the digests: the server holds this inventory.
    Digest,
    /// The whole inventory (its digests differ from the last one the server accepted, or the
    /// server asked for it).
    Full,
    /// The digests, then the whole inventory because the server asked for it.
    DigestThenFull,
}

/// The digests of the inventory the server holds, as far as this agent knows.
#[derive(Debug, Default, Clone)]
pub struct DigestCheckins {
    held: Option<InventoryDigests>,
}

impl DigestCheckins {
    /// Checks in with `inventory` at `interval` seconds: the digests when they are those of
    /// the last inventory the server accepted, else (or when the server asks) the whole
    /// inventory.
    pub async fn check_in(
        &mut self,
        client: &AgentClient,
        token: &Secret,
        inventory: Inventory,
        interval: u32,
    ) -> Result<(CheckinResponse, Sent), ClientError> {
        let digests = InventoryDigests::of(&inventory);
        let mut sent = Sent::Full;
        if self.held.as_ref() == Some(&digests) {
            let request = CheckinRequest::digest(&digests, interval);
            let response = client.checkin(token, &request).await?;
            if !response.send_full {
                return Ok((response, Sent::Digest));
            }
            sent = Sent::DigestThenFull;
        }
        // Forgotten until the server accepts the inventory: a failed full check-in is retried
        // in full.
        self.held = None;
        let request = CheckinRequest {
            inventory: Some(inventory),
            inventory_digest: Some(digests.inventory_digest.clone()),
            updates_digest: Some(digests.updates_digest.clone()),
            checkin_interval_seconds: interval,
        };
        let response = client.checkin(token, &request).await?;
        self.held = Some(digests);
        Ok((response, sent))
    }

    /// Forgets the digests: the next check-in sends the whole inventory.
    pub fn forget(&mut self) {
        self.held = None;
    }
}
