//! Tag membership: tagging and untagging devices, all or nothing. A change names every device
//! it could not make (unknown devices, or devices that already carry or do not carry the tag)
//! and then changes nothing.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::Tags;
use crate::activity::Actor;
use crate::devices::devices_not_found;
use crate::id::{DeviceId, OrganizationId, TagId};
use crate::keys::not_found;
use crate::store::TagRecord;
use crate::{DomainError, StoreError};

impl Tags {
    /// Tags every device, or none: unknown devices are not found, devices that already carry
    /// the tag are invalid, each named. Returns the tag with its new count.
    pub async fn tag_devices(
        &self,
        actor: &Actor,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<TagRecord, DomainError> {
        let organization_id = actor.organization_id;
        let name = self.checked(organization_id, id, devices).await?;
        let entry = actor.record(
            "tag.devices_added",
            ("tag", Some(id.to_string())),
            membership(&name, devices, false),
            now,
        );
        match self
            .store
            .tag_devices(organization_id, id, devices, now, Some(&entry))
            .await
        {
            Err(StoreError::Conflict { .. }) => {
                let already = self.carriers(organization_id, &name, devices, true).await?;
                Err(membership_error("already carry", &already))
            }
            other => other.map_err(membership_race),
        }
    }

    /// Untags every device, or none: unknown devices are not found, devices that do not carry
    /// the tag are invalid, each named.
    pub async fn untag_devices(
        &self,
        actor: &Actor,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let name = self.checked(organization_id, id, devices).await?;
        let entry = actor.record(
            "tag.devices_removed",
            ("tag", Some(id.to_string())),
            membership(&name, devices, true),
            now,
        );
        match self
            .store
            .untag_devices(organization_id, id, devices, Some(&entry))
            .await
        {
            Err(StoreError::Conflict { .. }) => {
                let missing = self
                    .carriers(organization_id, &name, devices, false)
                    .await?;
                Err(membership_error("do not carry", &missing))
            }
            other => other.map(drop).map_err(membership_race),
        }
    }

    /// Checks the tag and every device exist (the unknown devices named); returns the tag's
    /// name.
    async fn checked(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
    ) -> Result<String, DomainError> {
        let tag = self.get(organization_id, id).await?;
        let found: Vec<DeviceId> = self
            .store
            .device_groups(organization_id, devices)
            .await
            .map_err(DomainError::Store)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let unknown: Vec<_> = devices.iter().filter(|id| !found.contains(id)).collect();
        if !unknown.is_empty() {
            return Err(devices_not_found(&unknown));
        }
        Ok(tag.name)
    }

    /// The listed devices that carry the tag (`carrying`) or do not; only asked after the
    /// store refused a change, to name them.
    async fn carriers(
        &self,
        organization_id: OrganizationId,
        tag_name: &str,
        devices: &[DeviceId],
        carrying: bool,
    ) -> Result<Vec<DeviceId>, DomainError> {
        let mut matching = Vec::new();
        for id in devices {
            let device = self
                .store
                .device(organization_id, *id)
                .await
                .map_err(not_found("device"))?;
            if device.tags.iter().any(|tag| tag == tag_name) == carrying {
                matching.push(*id);
            }
        }
        Ok(matching)
    }
}

/// The refusal of a membership change, naming the devices in the way.
/// A membership change's before and after: whether each device carries the tag.
fn membership(name: &str, devices: &[DeviceId], carried: bool) -> Value {
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for device in devices {
        before.insert(device.to_string(), json!(carried));
        after.insert(device.to_string(), json!(!carried));
    }
    json!({
        "name": name,
        "device_ids": devices.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "before": before,
        "after": after,
    })
}

fn membership_error(verb: &str, ids: &[DeviceId]) -> DomainError {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let noun = if names.len() == 1 {
        "device"
    } else {
        "devices"
    };
    DomainError::Invalid(format!("{noun} {verb} this tag: {}", names.join(", ")))
}

/// A membership change that raced another request.
fn membership_race(error: StoreError) -> DomainError {
    match error {
        StoreError::Conflict { .. } => DomainError::invalid(
            "the tag's devices changed meanwhile; nothing was changed, try again",
        ),
        StoreError::NotFound => DomainError::NotFoundNamed("tag or device not found".to_owned()),
        other => DomainError::Store(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_membership_change_names_every_device_in_the_way() {
        let (first, second) = (DeviceId::new(), DeviceId::new());

        let one = membership_error("already carry", &[first]);
        let two = membership_error("do not carry", &[first, second]);

        assert_eq!(
            one.to_string(),
            format!("device already carry this tag: {first}")
        );
        assert_eq!(
            two.to_string(),
            format!("devices do not carry this tag: {first}, {second}")
        );
    }

    #[test]
    fn a_raced_membership_change_asks_to_try_again() {
        let conflict = membership_race(StoreError::Conflict {
            constraint: "device_tags.present",
        });
        let gone = membership_race(StoreError::NotFound);

        assert_eq!(
            conflict.to_string(),
            "the tag's devices changed meanwhile; nothing was changed, try again"
        );
        assert_eq!(gone.to_string(), "tag or device not found");
    }
}
