//! Changing a group's own custom field values by field name, as `/v2/groups/{id}` does with its
//! `custom_fields` map: every name and value is checked before anything changes. The values
//! themselves come with the group's record (`GroupRecord::custom_fields`).

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{Assignee, CustomFields, StoredValue, checked_value, value_entry};
use crate::DomainError;
use crate::activity::Actor;
use crate::id::{CustomFieldId, GroupId, OrganizationId};
use crate::store::CustomFieldRecord;

/// A checked change of a group's own values: each field with its new value (`None`
/// deletes).
#[derive(Debug, Default)]
pub struct GroupValues(Vec<(CustomFieldId, Option<String>)>);

impl CustomFields {
    /// Checks a change of a group's values (field name → value) against the organization's
    /// fields before anything changes; see [`plan_group_values`].
    pub async fn plan_group_values(
        &self,
        organization_id: OrganizationId,
        requested: BTreeMap<String, Option<String>>,
    ) -> Result<GroupValues, DomainError> {
        plan_group_values(&self.all(organization_id).await?, requested)
    }

    /// Applies a checked change to a group's own values.
    pub async fn apply_group_values(
        &self,
        actor: &Actor,
        group: GroupId,
        values: GroupValues,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let assignee = Assignee::Group(group);
        let fields = self.all(organization_id).await?;
        for (field_id, value) in values.0 {
            let Some(field) = fields.iter().find(|field| field.id == field_id) else {
                // Deleted meanwhile: nothing to set.
                continue;
            };
            let before = self.own_value(organization_id, field, assignee).await?;
            if before == value {
                continue;
            }
            let entry = value_entry(
                actor,
                field,
                assignee,
                (before.as_deref(), value.as_deref()),
                now,
            );
            let written = match value {
                Some(value) => {
                    let stored = StoredValue {
                        field_id,
                        assignee,
                        value: Some(value),
                    };
                    self.store
                        .set_custom_field_value(organization_id, &stored, false, now, Some(&entry))
                        .await
                }
                None => self
                    .store
                    .delete_custom_field_value(
                        organization_id,
                        field_id,
                        assignee,
                        false,
                        Some(&entry),
                    )
                    .await
                    .map(drop),
            };
            written.map_err(DomainError::Store)?;
        }
        Ok(())
    }
}

/// Checks a change of a group's values (field name → value, `None` deletes) against `fields`:
/// every value within length, every name a field's (the unknown ones named together).
pub fn plan_group_values(
    fields: &[CustomFieldRecord],
    requested: BTreeMap<String, Option<String>>,
) -> Result<GroupValues, DomainError> {
    let mut changes = Vec::with_capacity(requested.len());
    let mut unknown = Vec::new();
    for (name, value) in requested {
        let value = value.map(checked_value).transpose()?;
        match fields.iter().find(|field| field.name == name) {
            Some(field) => changes.push((field.id, value)),
            None => unknown.push(format!("\"{name}\"")),
        }
    }
    if !unknown.is_empty() {
        return Err(DomainError::Invalid(format!(
            "no custom field named {}",
            unknown.join(", ")
        )));
    }
    Ok(GroupValues(changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_fields::VALUE_MAX;

    fn field(name: &str) -> CustomFieldRecord {
        CustomFieldRecord {
            id: CustomFieldId::new(),
            name: name.to_owned(),
            admin_only: false,
        }
    }

    #[test]
    fn a_group_change_names_every_unknown_field() {
        let fields = [field("Owner")];
        let requested = BTreeMap::from([
            ("Owner".to_owned(), Some("Ada".to_owned())),
            ("Site".to_owned(), None),
            ("Rack".to_owned(), Some("4".to_owned())),
        ]);

        let error = plan_group_values(&fields, requested).unwrap_err();

        assert_eq!(
            error.to_string(),
            "no custom field named \"Rack\", \"Site\""
        );
    }

    #[test]
    fn a_group_change_keeps_each_known_field_with_its_value_or_deletion() {
        let fields = [field("Owner"), field("Site")];
        let requested = BTreeMap::from([
            ("Owner".to_owned(), Some("Ada".to_owned())),
            ("Site".to_owned(), None),
        ]);

        let GroupValues(changes) = plan_group_values(&fields, requested).unwrap();

        assert_eq!(
            changes,
            [(fields[0].id, Some("Ada".to_owned())), (fields[1].id, None)]
        );
    }

    #[test]
    fn a_group_change_with_a_value_too_long_is_refused() {
        let fields = [field("Owner")];
        let requested = BTreeMap::from([("Owner".to_owned(), Some("x".repeat(VALUE_MAX + 1)))]);

        let error = plan_group_values(&fields, requested).unwrap_err();

        assert_eq!(error.to_string(), "value must be at most 10000 characters");
    }
}
