//! The group side of the custom field cascade, for `/v2/groups/{id}`: the `custom_fields` map
//! (field name → value) of a group's own values, and setting or deleting them by name.

use std::collections::BTreeMap;

use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{CustomFieldId, GroupId, OrganizationId};
use time::OffsetDateTime;

use super::values::checked_value;
use crate::error::ApiError;
use crate::state::AppState;

/// A checked change of a group's values: each field with its new value (`None` deletes).
#[derive(Debug, Default)]
pub struct GroupValues(Vec<(CustomFieldId, Option<String>)>);

/// The values set on the group itself, by field name.
pub async fn group_values(
    state: &AppState,
    organization_id: OrganizationId,
    group: GroupId,
) -> Result<BTreeMap<String, Option<String>>, ApiError> {
    let fields = state.store.all_custom_fields(organization_id).await?;
    let stored = state
        .store
        .custom_field_values(organization_id, &[Assignee::Group(group)], None)
        .await?;
    Ok(stored
        .into_iter()
        .filter_map(|value| {
            let field = fields.iter().find(|field| field.id == value.field_id)?;
            Some((field.name.clone(), value.value))
        })
        .collect())
}

/// Checks a `custom_fields` map before anything changes: every name must be a field of the
/// organization (a 422 names the unknown ones) and every value within length.
pub async fn plan(
    state: &AppState,
    organization_id: OrganizationId,
    requested: BTreeMap<String, Option<String>>,
) -> Result<GroupValues, ApiError> {
    let fields = state.store.all_custom_fields(organization_id).await?;
    let mut changes = Vec::with_capacity(requested.len());
    let mut unknown = Vec::new();
    for (name, value) in requested {
        let value = value.map(checked_value).transpose()?;
        match fields.iter().find(|field| field.name == name) {
            Some(field) => changes.push((field.id, value)),
            None => unknown.push(name),
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::Validation(format!(
            "no custom field named {}",
            unknown
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(GroupValues(changes))
}

/// Applies a checked change to the group's own values.
pub async fn apply(
    state: &AppState,
    organization_id: OrganizationId,
    group: GroupId,
    values: GroupValues,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    for (field_id, value) in values.0 {
        let assignee = Assignee::Group(group);
        match value {
            Some(value) => {
                let stored = StoredValue {
                    field_id,
                    assignee,
                    value: Some(value),
                };
                state
                    .store
                    .set_custom_field_value(organization_id, &stored, false, now)
                    .await?;
            }
            None => {
                state
                    .store
                    .delete_custom_field_value(organization_id, field_id, assignee, false)
                    .await?;
            }
        }
    }
    Ok(())
}
