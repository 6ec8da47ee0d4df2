//! Custom fields: named slots for values an organization keeps about its devices. A field's
//! name is unique in the organization, case-insensitively, and so is its `reference` (the
//! script variable derived from the name). Values are set at three levels and cascade
//! ([`cascade`]); [`values`] reads and writes them, [`groups`] a group's own by field name.

mod cascade;
mod groups;
mod values;

use std::sync::Arc;

use serde_json::{Value, json};
use time::OffsetDateTime;

pub use cascade::{Assignee, EffectiveValue, StoredValue, effective_for_device};
pub use groups::{GroupValues, plan_group_values};
pub use values::{FieldValue, VALUE_MAX, checked_value};

use crate::activity::{Actor, changes};
use crate::id::{CustomFieldId, OrganizationId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{CustomFieldRecord, Store};
use crate::{DomainError, StoreError, validate};

/// Longest custom field name, in characters.
pub const NAME_MAX: usize = 100;

/// Custom fields and their values over a store, scoped to one organization per call.
#[derive(Clone)]
pub struct CustomFields {
    store: Arc<dyn Store>,
}

impl CustomFields {
    /// Custom fields over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A keyset page of fields.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<CustomFieldId>,
    ) -> Result<Page<CustomFieldRecord>, DomainError> {
        self.store
            .list_custom_fields(organization_id, page)
            .await
            .map_err(DomainError::Store)
    }

    /// One field.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> Result<CustomFieldRecord, DomainError> {
        self.store
            .custom_field(organization_id, id)
            .await
            .map_err(not_found("custom field"))
    }

    /// Creates a field; a name (or reference) another field has is invalid.
    pub async fn create(
        &self,
        actor: &Actor,
        name: &str,
        admin_only: bool,
        now: OffsetDateTime,
    ) -> Result<CustomFieldRecord, DomainError> {
        let organization_id = actor.organization_id;
        let name = field_name(name)?;
        let id = CustomFieldId::new();
        unique(&self.all(organization_id).await?, id, &name)?;
        let field = CustomFieldRecord {
            id,
            name,
            admin_only,
        };
        let entry = actor.record("custom_field.created", target(id), facts(&field), now);
        self.store
            .insert_custom_field(organization_id, &field, now, Some(&entry))
            .await
            .map_err(name_taken)
    }

    /// Renames a field and/or changes its visibility; `None` keeps. A change of nothing
    /// writes nothing.
    pub async fn update(
        &self,
        actor: &Actor,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
    ) -> Result<CustomFieldRecord, DomainError> {
        let organization_id = actor.organization_id;
        let name = name.map(field_name).transpose()?;
        let current = self.get(organization_id, id).await?;
        if let Some(name) = &name {
            unique(&self.all(organization_id).await?, id, name)?;
        }
        if name.is_none() && admin_only.is_none() {
            return Ok(current);
        }
        let after = CustomFieldRecord {
            id,
            name: name.clone().unwrap_or_else(|| current.name.clone()),
            admin_only: admin_only.unwrap_or(current.admin_only),
        };
        let details = changes(&facts(&current), &facts(&after));
        let entry = actor.record("custom_field.updated", target(id), details, now);
        let change = (name.as_deref(), admin_only);
        self.store
            .update_custom_field(organization_id, id, change.0, change.1, now, Some(&entry))
            .await
            .map_err(name_taken)
    }

    /// Deletes a field and every value of it, at every level.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: CustomFieldId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let current = self.get(organization_id, id).await?;
        let entry = actor.record("custom_field.deleted", target(id), facts(&current), now);
        self.store
            .delete_custom_field(organization_id, id, Some(&entry))
            .await
            .map_err(not_found("custom field"))
    }

    /// Every field of the organization, in id order.
    async fn all(
        &self,
        organization_id: OrganizationId,
    ) -> Result<Vec<CustomFieldRecord>, DomainError> {
        self.store
            .all_custom_fields(organization_id)
            .await
            .map_err(DomainError::Store)
    }
}

/// Whether a person with `role` sees a field (and its values) in the management API and the
/// web UI: administrators-only fields are hidden from technicians.
pub fn visible_to(field: &CustomFieldRecord, role: crate::Role) -> bool {
    !field.admin_only || role == crate::Role::Admin
}

/// A field's name: trimmed, 1 to [`NAME_MAX`] characters.
/// The activity log's target for a custom field (its values' entries name it too).
fn target(id: CustomFieldId) -> (&'static str, Option<String>) {
    ("custom_field", Some(id.to_string()))
}

/// What the activity log records of a custom field.
fn facts(field: &CustomFieldRecord) -> Value {
    json!({ "name": field.name, "admin_only": field.admin_only })
}

/// The entry of a value set (`after` some) or deleted (`after` none) at `assignee`'s level.
fn value_entry(
    actor: &Actor,
    field: &CustomFieldRecord,
    assignee: Assignee,
    (before, after): (Option<&str>, Option<&str>),
    now: OffsetDateTime,
) -> crate::store::Activity {
    let action = if after.is_some() {
        "custom_field_value.set"
    } else {
        "custom_field_value.deleted"
    };
    let assigned_to = match assignee {
        Assignee::Organization => json!({ "type": "organization", "id": null }),
        Assignee::Group(id) => json!({ "type": "group", "id": id.to_string() }),
        Assignee::Device(id) => json!({ "type": "device", "id": id.to_string() }),
    };
    let details = json!({
        "name": field.name,
        "assigned_to": assigned_to,
        "before": { "value": before },
        "after": { "value": after },
    });
    actor.record(action, target(field.id), details, now)
}

pub fn field_name(name: &str) -> Result<String, DomainError> {
    validate::text("name", name, NAME_MAX)
}

/// The script variable of a field: `cf_` and the name lower-cased, every run of characters
/// that are not letters or digits turned into one `_`, with no `_` at either end of the name
/// part ("ScreenConnect URL" → `cf_screenconnect_url`).
pub fn reference(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for character in name.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_');
    format!("cf_{slug}")
}

/// Refuses `name` for field `id` when another of `fields` has it (case-insensitively) or has
/// the reference it would get.
pub fn unique(
    fields: &[CustomFieldRecord],
    id: CustomFieldId,
    name: &str,
) -> Result<(), DomainError> {
    let wanted = reference(name);
    for other in fields.iter().filter(|field| field.id != id) {
        if other.name.to_lowercase() == name.to_lowercase() {
            return Err(DomainError::invalid(
                "a custom field with this name already exists",
            ));
        }
        if reference(&other.name) == wanted {
            return Err(DomainError::Invalid(format!(
                "custom field \"{}\" already has the reference {wanted}; choose a more distinct name",
                other.name
            )));
        }
    }
    Ok(())
}

fn name_taken(error: StoreError) -> DomainError {
    match error {
        StoreError::Conflict { .. } => {
            DomainError::invalid("a custom field with this name already exists")
        }
        other => not_found("custom field")(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> CustomFieldRecord {
        CustomFieldRecord {
            id: CustomFieldId::new(),
            name: name.to_owned(),
            admin_only: false,
        }
    }

    #[test]
    fn references_are_lower_case_with_one_underscore_per_run_of_other_characters() {
        assert_eq!(reference("ScreenConnect URL"), "cf_screenconnect_url");
        assert_eq!(reference("  Site -- Code (2) "), "cf_site_code_2");
        assert_eq!(reference("__Owner__"), "cf_owner");
        assert_eq!(reference("Zürich Büro"), "cf_zürich_büro");
        assert_eq!(reference("🧑‍💻"), "cf_");
    }

    #[test]
    fn a_field_name_is_trimmed_and_holds_at_most_a_hundred_characters() {
        assert_eq!(field_name(" Owner ").unwrap(), "Owner");
        assert!(field_name(&"é".repeat(NAME_MAX)).is_ok());

        let error = field_name(&"é".repeat(NAME_MAX + 1)).unwrap_err();

        assert_eq!(error.to_string(), "name must be at most 100 characters");
    }

    #[test]
    fn a_name_another_field_has_in_any_case_is_refused() {
        let fields = [field("Owner")];

        let error = unique(&fields, CustomFieldId::new(), "OWNER").unwrap_err();

        assert_eq!(
            error.to_string(),
            "a custom field with this name already exists"
        );
    }

    #[test]
    fn a_name_whose_reference_another_field_has_is_refused_naming_that_field() {
        let fields = [field("Site code")];

        let error = unique(&fields, CustomFieldId::new(), "site-code").unwrap_err();

        assert_eq!(
            error.to_string(),
            "custom field \"Site code\" already has the reference cf_site_code; choose a more distinct name"
        );
    }

    #[test]
    fn a_field_may_keep_its_own_name() {
        let fields = [field("Owner")];

        assert!(unique(&fields, fields[0].id, "owner").is_ok());
    }
}
