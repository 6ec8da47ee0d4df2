//! Automations: ordered script steps for the devices of a group (or of the organization),
//! started by webhook triggers ([`webhooks`]) and run by agents, one run per device.
//!
//! Every change writes its activity entry in the same transaction; entries hold names, groups
//! and step counts, never a token.

pub mod rules;
pub mod runs;
pub mod webhooks;

use std::sync::Arc;

use plumb_proto::agent::ScriptStep;
use serde_json::json;
use time::OffsetDateTime;

use crate::activity::{self, Actor};
use crate::crypto::{KeyHasher, Sealer};
use crate::id::{AutomationId, GroupId, OrganizationId, RunId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{AutomationFields, AutomationRecord, RunRecord, Store};
use crate::{DomainError, StoreError};

/// A new automation, as a person wrote it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Target group.
    pub group_id: Option<GroupId>,
    /// Steps.
    pub steps: Vec<ScriptStep>,
}

/// A partial change; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// New name.
    pub name: Option<String>,
    /// New description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New target (`Some(None)` targets the whole organization).
    pub group_id: Option<Option<GroupId>>,
    /// New steps (all of them).
    pub steps: Option<Vec<ScriptStep>>,
}

/// Automation operations over a store.
#[derive(Clone)]
pub struct Automations {
    store: Arc<dyn Store>,
    hasher: KeyHasher,
    sealer: Option<Sealer>,
}

impl Automations {
    /// Automations over a store; `sealer` keeps a copy of trigger tokens so their URLs can be
    /// listed again (`None` in hash-only mode: a URL is then shown once, at creation).
    pub fn new(store: Arc<dyn Store>, hasher: KeyHasher, sealer: Option<Sealer>) -> Self {
        Self {
            store,
            hasher,
            sealer,
        }
    }

    /// A page of automations in id order.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> Result<Page<AutomationRecord>, DomainError> {
        Ok(self.store.list_automations(organization_id, page).await?)
    }

    /// One automation.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> Result<AutomationRecord, DomainError> {
        self.store
            .automation(organization_id, id)
            .await
            .map_err(not_found("automation"))
    }

    /// Creates an automation.
    pub async fn create(
        &self,
        actor: &Actor,
        draft: Draft,
        now: OffsetDateTime,
    ) -> Result<AutomationRecord, DomainError> {
        let fields = AutomationFields {
            name: rules::name(&draft.name)?,
            description: rules::description(draft.description.as_deref())?,
            group_id: draft.group_id,
            steps: rules::steps(draft.steps)?,
        };
        self.check_group(actor.organization_id, fields.group_id)
            .await?;
        let id = AutomationId::new();
        let entry = actor.record(
            "automation.created",
            ("automation", Some(id.to_string())),
            summary(&fields),
            now,
        );
        let record = self
            .store
            .insert_automation(actor.organization_id, id, &fields, now, &entry)
            .await
            .map_err(write_error(&fields.name))?;
        tracing::info!(automation.id = %id, "created automation {id}");
        Ok(record)
    }

    /// Changes an automation (partial: absent fields stay).
    pub async fn update(
        &self,
        actor: &Actor,
        id: AutomationId,
        change: Change,
        now: OffsetDateTime,
    ) -> Result<AutomationRecord, DomainError> {
        let name = change.name.as_deref().map(rules::name).transpose()?;
        let description = change
            .description
            .map(|text| rules::description(text.as_deref()))
            .transpose()?;
        let steps = change.steps.map(rules::steps).transpose()?;
        let before = self.get(actor.organization_id, id).await?;
        if let Some(group_id) = change.group_id {
            self.check_group(actor.organization_id, group_id).await?;
        }
        let fields = AutomationFields {
            name: name.unwrap_or_else(|| before.name.clone()),
            description: description.unwrap_or_else(|| before.description.clone()),
            group_id: change.group_id.unwrap_or(before.group_id),
            steps: steps.unwrap_or_else(|| before.steps.clone()),
        };
        let old = AutomationFields {
            name: before.name.clone(),
            description: before.description.clone(),
            group_id: before.group_id,
            steps: before.steps.clone(),
        };
        if fields == old {
            return Ok(before);
        }
        let entry = actor.record(
            "automation.updated",
            ("automation", Some(id.to_string())),
            activity::changes(&summary(&old), &summary(&fields)),
            now,
        );
        let record = self
            .store
            .update_automation(actor.organization_id, id, &fields, now, &entry)
            .await
            .map_err(write_error(&fields.name))?;
        tracing::info!(automation.id = %id, "updated automation {id}");
        Ok(record)
    }

    /// Deletes an automation with its triggers; its runs stay (pending ones are canceled).
    pub async fn delete(
        &self,
        actor: &Actor,
        id: AutomationId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let before = self.get(actor.organization_id, id).await?;
        let fields = AutomationFields {
            name: before.name,
            description: before.description,
            group_id: before.group_id,
            steps: before.steps,
        };
        let entry = actor.record(
            "automation.deleted",
            ("automation", Some(id.to_string())),
            summary(&fields),
            now,
        );
        self.store
            .delete_automation(actor.organization_id, id, now, &entry)
            .await
            .map_err(not_found("automation"))?;
        tracing::info!(automation.id = %id, "deleted automation {id}");
        Ok(())
    }

    /// One run.
    pub async fn run(
        &self,
        organization_id: OrganizationId,
        id: RunId,
    ) -> Result<RunRecord, DomainError> {
        self.store
            .run(organization_id, id)
            .await
            .map_err(not_found("automation run"))
    }

    async fn check_group(
        &self,
        organization_id: OrganizationId,
        group_id: Option<GroupId>,
    ) -> Result<(), DomainError> {
        if let Some(group_id) = group_id {
            self.store
                .group(organization_id, group_id)
                .await
                .map_err(not_found("group"))?;
        }
        Ok(())
    }
}

/// What the activity log keeps of an automation: no scripts, only their count.
fn summary(fields: &AutomationFields) -> serde_json::Value {
    json!({
        "name": fields.name,
        "description": fields.description,
        "group_id": fields.group_id.map(|group| group.to_string()),
        "steps": fields
            .steps
            .iter()
            .map(|step| json!({
                "name": step.name,
                "shell": step.shell,
                "script_bytes": step.script.len(),
                "timeout_seconds": step.timeout_seconds,
            }))
            .collect::<Vec<_>>(),
    })
}

fn write_error(name: &str) -> impl Fn(StoreError) -> DomainError + '_ {
    move |error| match error {
        StoreError::Conflict { .. } => {
            DomainError::invalid(format!("an automation named {name} already exists"))
        }
        StoreError::NotFound => DomainError::NotFound("automation or group"),
        other => DomainError::Store(other),
    }
}
