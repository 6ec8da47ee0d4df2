//! Digest check-ins (docs/agent-protocol.md, "Digests"): the agent names its inventory by its
//! digests, and the server records only that the device is alive when it holds that inventory.

use plumb_proto::agent::InventoryDigests;
use plumb_proto::inventory::PackageUpdate;
use time::OffsetDateTime;

use super::{check_interval, late_in};
use crate::DomainError;
use crate::crypto::Digest;
use crate::id::DeviceId;
use crate::store::{CheckinDigests, Heartbeat};

/// What a digest check-in reports.
#[derive(Debug, Clone)]
pub struct Beat<'a> {
    /// The digests the agent sent.
    pub digests: &'a InventoryDigests,
    /// The interval the agent runs at, in seconds.
    pub interval_seconds: u32,
    /// The TCP peer's address.
    pub public_ip_address: Option<String>,
}

impl Beat<'_> {
    /// Validates the beat and builds the heartbeat for the store.
    pub(super) fn checked(
        &self,
        device_id: DeviceId,
        now: OffsetDateTime,
    ) -> Result<Heartbeat, DomainError> {
        check_interval(self.interval_seconds)?;
        let digests = decode(self.digests).ok_or_else(|| {
            DomainError::invalid(
                "inventory_digest and updates_digest must each be 64 lowercase hex digits",
            )
        })?;
        Ok(Heartbeat {
            device_id,
            digests,
            public_ip_address: self.public_ip_address.clone(),
            seen_at: now,
            offline_after: now + late_in(self.interval_seconds),
        })
    }
}

/// The digests of an inventory serialized as `json` whose update list is `updates`.
pub(super) fn digests_of(json: &str, updates: &[PackageUpdate]) -> CheckinDigests {
    let digests = InventoryDigests::of_parts(json.as_bytes(), updates);
    // Freshly computed digests are well formed.
    decode(&digests).unwrap_or(CheckinDigests {
        inventory: Digest([0; 32]),
        updates: Digest([0; 32]),
    })
}

/// The wire digests as bytes; `None` unless both are 64 lowercase hex digits.
pub fn decode(digests: &InventoryDigests) -> Option<CheckinDigests> {
    if !digests.well_formed() {
        return None;
    }
    Some(CheckinDigests {
        inventory: bytes(&digests.inventory_digest)?,
        updates: bytes(&digests.updates_digest)?,
    })
}

fn bytes(hex: &str) -> Option<Digest> {
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(text, 16).ok()?;
    }
    Some(Digest(out))
}

#[cfg(test)]
mod tests {
    use plumb_proto::inventory::Inventory;

    use super::*;

    #[test]
    fn the_servers_digests_of_a_stored_inventory_are_the_agents() {
        let inventory = Inventory {
            hostname: "web-01".to_owned(),
            updates: vec![PackageUpdate {
                name: "openssl".to_owned(),
                ..PackageUpdate::default()
            }],
            ..Inventory::default()
        };
        let json = serde_json::to_string(&inventory).unwrap();
        let agent = InventoryDigests::of(&inventory);
        assert_eq!(Some(digests_of(&json, &inventory.updates)), decode(&agent));
        assert_ne!(agent.inventory_digest, agent.updates_digest);
    }

    #[test]
    fn a_digest_that_is_not_64_lowercase_hex_digits_is_refused() {
        let good = "ab".repeat(32);
        for bad in [
            "",
            "AB",
            &"AB".repeat(32),
            &"zz".repeat(32),
            &"ab".repeat(33),
        ] {
            let digests = InventoryDigests {
                inventory_digest: bad.to_owned(),
                updates_digest: good.clone(),
            };
            assert!(decode(&digests).is_none(), "{bad} accepted");
        }
    }
}
