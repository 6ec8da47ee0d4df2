//! Building activity log entries. The log records who did what, when and from where, with the
//! before and after of every edit, and never a secret: callers pass descriptions, access levels
//! and ids, never key values, passwords or tokens.

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::id::{ActivityId, OrganizationId};
use crate::store::{Activity, UserRef};

/// Who is acting and from where: the context every audited operation carries.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The acting user, if signed in.
    pub user: Option<UserRef>,
    /// The organization acted upon.
    pub organization_id: OrganizationId,
    /// The client address.
    pub ip: Option<String>,
}

impl Actor {
    /// An entry about `target_type`/`target_id` with `details`.
    pub fn record(
        &self,
        action: &str,
        target: (&str, Option<String>),
        details: Value,
        now: OffsetDateTime,
    ) -> Activity {
        Activity {
            id: ActivityId::new(),
            organization_id: self.organization_id,
            actor: self.user.clone(),
            action: action.to_owned(),
            target_type: target.0.to_owned(),
            target_id: target.1,
            details,
            ip: self.ip.clone(),
            created_at: now,
        }
    }
}

/// `{"before": {...}, "after": {...}}` holding only the fields that changed.
pub fn changes(before: &Value, after: &Value) -> Value {
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
        for (field, value) in after {
            if before.get(field) != Some(value) {
                old.insert(
                    field.clone(),
                    before.get(field).cloned().unwrap_or(Value::Null),
                );
                new.insert(field.clone(), value.clone());
            }
        }
    }
    json!({ "before": old, "after": new })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_only_the_fields_that_differ() {
        let before = json!({"description": "Sync", "access": "read_only"});
        let after = json!({"description": "Sync", "access": "read_write"});
        assert_eq!(
            changes(&before, &after),
            json!({"before": {"access": "read_only"}, "after": {"access": "read_write"}})
        );
    }
}
