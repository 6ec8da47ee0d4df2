//! Automation fixtures: steps, fields and stored automations.

use plumb_core::Store;
use plumb_core::id::{GroupId, OrganizationId};

use super::{T0, activity};

/// A script step named `name`.
pub fn step(name: &str) -> plumb_proto::agent::ScriptStep {
    plumb_proto::agent::ScriptStep {
        name: name.to_owned(),
        shell: "sh".to_owned(),
        script: format!("echo {name}"),
        timeout_seconds: 60,
    }
}

/// The fields of an automation named `name` with one step `check`, aimed at `group_id`.
pub fn automation_fields(
    name: &str,
    group_id: Option<GroupId>,
) -> plumb_core::store::AutomationFields {
    plumb_core::store::AutomationFields {
        name: name.to_owned(),
        description: Some(format!("{name} description")),
        group_id,
        steps: vec![step("check")],
    }
}

/// Inserts an automation named `name` at `T0`.
pub async fn insert_automation(
    store: &dyn Store,
    organization_id: OrganizationId,
    name: &str,
    group_id: Option<GroupId>,
) -> plumb_core::store::AutomationRecord {
    let fields = automation_fields(name, group_id);
    let id = plumb_core::id::AutomationId::new();
    let created = activity(organization_id, "automation.created");
    store
        .insert_automation(organization_id, id, &fields, T0, &created)
        .await
        .expect("automation is inserted")
}
