//! Check-ins with digests (docs/agent-protocol.md, "Digests"): the agent remembers the digests
//! of the inventory the server last accepted in full and, while its inventory keeps those
//! digests, sends only them. A changed inventory, a first check-in (the agent keeps no digests
//! across restarts) and the server's "send full" (a restored database, say) send the whole
//! inventory. A server from before digests answers a check-in carrying them with 400; the agent
//! then checks in as before, without them. The load tool (`plumb dev checkin-load`) checks in
//! through this too.

use plumb_proto::agent::{CheckinRequest, CheckinResponse, InventoryDigests};
use plumb_proto::inventory::Inventory;
use reqwest::StatusCode;

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
    /// The server refused digests (400: a server from before them): every check-in is full and
    /// carries none.
    without_digests: bool,
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
        if self.without_digests {
            let request = CheckinRequest {
                inventory: Some(inventory),
                inventory_digest: None,
                updates_digest: None,
                checkin_interval_seconds: interval,
            };
            return Ok((client.checkin(token, &request).await?, Sent::Full));
        }
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
        let response = match client.checkin(token, &request).await {
            Err(ClientError::Refused { status, .. }) if status == StatusCode::BAD_REQUEST => {
                // A server from before digests refuses the unknown fields: check in as before.
                let mut plain = request;
                plain.inventory_digest = None;
                plain.updates_digest = None;
                let response = client.checkin(token, &plain).await?;
                self.without_digests = true;
                return Ok((response, sent));
            }
            other => other?,
        };
        self.held = Some(digests);
        Ok((response, sent))
    }

    /// Forgets the digests: the next check-in sends the whole inventory.
    pub fn forget(&mut self) {
        self.held = None;
    }
}
