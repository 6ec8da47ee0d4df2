//! Custom field values: read at one level (or, for a device, the value that applies to it),
//! set and deleted at one level (and below it with `force`).
//!
//! Ids named in a request body or filter (`custom_field_id`, `assigned_to_id`) arrive as
//! sent: an id that is not an id is as missing as an unknown one.

use time::OffsetDateTime;

use super::{Assignee, CustomFields, StoredValue, effective_for_device, value_entry};
use crate::DomainError;
use crate::StoreError;
use crate::activity::Actor;
use crate::id::{CustomFieldId, DeviceId, GroupId, OrganizationId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::CustomFieldRecord;

/// Longest value, in characters.
pub const VALUE_MAX: usize = 10_000;

/// A value with its field: where it is set (`None` when no level sets one) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    /// The field.
    pub field: CustomFieldRecord,
    /// Where the value is set.
    pub assignee: Option<Assignee>,
    /// The value.
    pub value: Option<String>,
}

impl CustomFields {
    /// A page of values in field id order. `assigned_to` absent, `null` or empty: the
    /// organization's values; a device id: the value of every field that applies to the
    /// device, and where it is set; a group id: the group's own values. `field` narrows to
    /// one field, which must exist.
    pub async fn values(
        &self,
        organization_id: OrganizationId,
        assigned_to: Option<&str>,
        field: Option<CustomFieldId>,
        page: &PageRequest<CustomFieldId>,
    ) -> Result<Page<FieldValue>, DomainError> {
        let mut fields = self.all(organization_id).await?;
        if let Some(field) = field {
            fields.retain(|known| known.id == field);
            if fields.is_empty() {
                return Err(DomainError::NotFound("custom field"));
            }
        }
        let values = match self.assignee(organization_id, assigned_to).await? {
            Assignee::Device(device) => {
                self.device_values(organization_id, device, &fields, field)
                    .await?
            }
            level => self
                .store
                .custom_field_values(organization_id, &[level], field)
                .await
                .map_err(DomainError::Store)?
                .into_iter()
                .map(|stored| (stored.field_id, Some(stored.assignee), stored.value))
                .collect(),
        };
        let page = Page::in_memory(values, page, |(field_id, _, _)| *field_id);
        let items = page
            .items
            .into_iter()
            .filter_map(|(field_id, assignee, value)| {
                let field = fields.iter().find(|field| field.id == field_id)?;
                Some(FieldValue {
                    field: field.clone(),
                    assignee,
                    value,
                })
            })
            .collect();
        Ok(Page {
            items,
            has_more: page.has_more,
        })
    }

    /// Sets a value at one level; with `force`, the values set below that level for the field
    /// are removed so this one applies everywhere beneath.
    pub async fn set_value(
        &self,
        actor: &Actor,
        field: &str,
        assigned_to: Option<&str>,
        value: String,
        force: bool,
        now: OffsetDateTime,
    ) -> Result<FieldValue, DomainError> {
        let organization_id = actor.organization_id;
        let value = checked_value(value)?;
        let field = self.named_field(organization_id, field).await?;
        let assignee = self.assignee(organization_id, assigned_to).await?;
        let before = self.own_value(organization_id, &field, assignee).await?;
        let entry = value_entry(
            actor,
            &field,
            assignee,
            (before.as_deref(), Some(&value)),
            now,
        );
        let stored = StoredValue {
            field_id: field.id,
            assignee,
            value: Some(value),
        };
        self.store
            .set_custom_field_value(organization_id, &stored, force, now, Some(&entry))
            .await
            .map_err(not_found("custom field or assignee"))?;
        Ok(FieldValue {
            field,
            assignee: Some(assignee),
            value: stored.value,
        })
    }

    /// Deletes the value at one level (and below it with `force`); deleting a value that is
    /// not set changes nothing.
    pub async fn delete_value(
        &self,
        actor: &Actor,
        field: &str,
        assigned_to: Option<&str>,
        force: bool,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let field = self.named_field(organization_id, field).await?;
        let assignee = self.assignee(organization_id, assigned_to).await?;
        let before = self.own_value(organization_id, &field, assignee).await?;
        // Deleting a value that is not set changes nothing, and is not logged.
        let entry = (before.is_some() || force)
            .then(|| value_entry(actor, &field, assignee, (before.as_deref(), None), now));
        self.store
            .delete_custom_field_value(organization_id, field.id, assignee, force, entry.as_ref())
            .await
            .map(drop)
            .map_err(not_found("custom field or assignee"))
    }

    /// The value of each of `fields` that applies to a device, and where it is set.
    async fn device_values(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        fields: &[CustomFieldRecord],
        field: Option<CustomFieldId>,
    ) -> Result<Vec<(CustomFieldId, Option<Assignee>, Option<String>)>, DomainError> {
        // The device may have gone since `assignee` found it.
        let Some(group) = self.group_of(organization_id, device).await? else {
            return Err(DomainError::NotFound("device"));
        };
        let mut chain = Vec::new();
        if let Some(group) = group {
            chain.push(group);
            chain.extend(
                self.store
                    .group_ancestors(organization_id, group)
                    .await
                    .map_err(DomainError::Store)?,
            );
        }
        let mut levels = vec![Assignee::Device(device)];
        levels.extend(chain.iter().map(|group| Assignee::Group(*group)));
        levels.push(Assignee::Organization);
        let stored = self
            .store
            .custom_field_values(organization_id, &levels, field)
            .await
            .map_err(DomainError::Store)?;
        let ids: Vec<CustomFieldId> = fields.iter().map(|field| field.id).collect();
        Ok(effective_for_device(&ids, device, &chain, &stored)
            .into_iter()
            .map(|effective| (effective.field_id, effective.assignee, effective.value))
            .collect())
    }

    /// The field a body names; an id that is not a field id is as missing as an unknown one.
    /// The value set at `assignee`'s own level, if any.
    pub(super) async fn own_value(
        &self,
        organization_id: OrganizationId,
        field: &CustomFieldRecord,
        assignee: Assignee,
    ) -> Result<Option<String>, DomainError> {
        let stored = self
            .store
            .custom_field_values(organization_id, &[assignee], Some(field.id))
            .await
            .map_err(DomainError::Store)?;
        Ok(stored
            .into_iter()
            .find(|stored| stored.field_id == field.id && stored.assignee == assignee)
            .and_then(|stored| stored.value))
    }

    async fn named_field(
        &self,
        organization_id: OrganizationId,
        text: &str,
    ) -> Result<CustomFieldRecord, DomainError> {
        let id = CustomFieldId::parse(text).ok_or(DomainError::NotFound("custom field"))?;
        self.get(organization_id, id).await
    }

    /// Where `assigned_to_id` points: absent, `null` or empty is the organization; otherwise
    /// a device or a group of the organization, and anything else is not found.
    async fn assignee(
        &self,
        organization_id: OrganizationId,
        text: Option<&str>,
    ) -> Result<Assignee, DomainError> {
        let text = match text {
            None | Some("" | "null") => return Ok(Assignee::Organization),
            Some(text) => text,
        };
        let missing = || DomainError::NotFoundNamed(format!("no device or group {text}"));
        let device = DeviceId::parse(text).ok_or_else(missing)?;
        if self.group_of(organization_id, device).await?.is_some() {
            return Ok(Assignee::Device(device));
        }
        let group = GroupId(device.0);
        match self.store.group(organization_id, group).await {
            Ok(_) => Ok(Assignee::Group(group)),
            Err(StoreError::NotFound) => Err(missing()),
            Err(other) => Err(DomainError::Store(other)),
        }
    }

    /// A device's group (`Some(None)`: in no group), or `None` for an unknown device. Reads
    /// one id, not the device with its inventory.
    async fn group_of(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
    ) -> Result<Option<Option<GroupId>>, DomainError> {
        let found = self
            .store
            .device_groups(organization_id, &[device])
            .await
            .map_err(DomainError::Store)?;
        Ok(found
            .into_iter()
            .find(|(id, _)| *id == device)
            .map(|(_, group)| group))
    }
}

/// A value: at most [`VALUE_MAX`] characters, kept as written.
pub fn checked_value(value: String) -> Result<String, DomainError> {
    if value.chars().count() > VALUE_MAX {
        return Err(DomainError::Invalid(format!(
            "value must be at most {VALUE_MAX} characters"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_holds_at_most_ten_thousand_characters_kept_as_written() {
        assert_eq!(checked_value(" a ".to_owned()).unwrap(), " a ");
        assert!(checked_value("é".repeat(VALUE_MAX)).is_ok());

        let error = checked_value("é".repeat(VALUE_MAX + 1)).unwrap_err();

        assert!(matches!(error, DomainError::Invalid(_)));
        assert_eq!(error.to_string(), "value must be at most 10000 characters");
    }
}
