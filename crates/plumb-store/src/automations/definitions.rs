//! Automations: keyset pages, one automation, and the writes with their activity entries.
//!
//! Names are unique per organization (`automations_organization_id_name_key`); a group outside
//! the organization breaks the composite foreign key and reads as `NotFound`. Steps are stored
//! as a JSON array of `ScriptStep` objects (name, shell, script, timeout_seconds).

use async_trait::async_trait;
use plumb_core::id::{AutomationId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::AutomationStore;
use plumb_core::store::{Activity, AutomationFields, AutomationRecord, StoreResult};
use time::OffsetDateTime;

use super::spelling::{parse_steps, steps_text};
use crate::SqlStore;
use crate::activity::insert_activity;
use crate::db::{Exec, FromRow, Row, args};
use crate::keyset;

/// Selects an [`AutomationRecord`] with its group's name; callers append a `where` on `a`
/// (automations).
macro_rules! automation_select {
    () => {
        "select a.id, a.organization_id, a.name, a.description, a.group_id, g.name, a.steps, \
         a.created_at, a.updated_at from automations a \
         left join groups g on g.organization_id = a.organization_id and g.id = a.group_id "
    };
}

impl FromRow for AutomationRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(AutomationRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            name: columns.next()?,
            description: columns.next()?,
            group_id: columns.next()?,
            group_name: columns.next()?,
            steps: parse_steps(&columns.next::<String>()?)?,
            created_at: columns.next()?,
            updated_at: columns.next()?,
        })
    }
}

#[async_trait]
impl AutomationStore for SqlStore {
    async fn list_automations(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> StoreResult<Page<AutomationRecord>> {
        keyset::page(
            &self.db,
            (automation_select!(), "a"),
            organization_id,
            &[],
            page,
        )
        .await
    }

    async fn automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> StoreResult<AutomationRecord> {
        fetch(&self.db, organization_id, id).await
    }

    async fn insert_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into automations (id, organization_id, name, description, group_id, steps, \
             created_at, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                args![
                    id,
                    organization_id,
                    &fields.name,
                    fields.description.as_deref(),
                    fields.group_id,
                    steps_text(&fields.steps),
                    now,
                ],
            )
            .await?;
            insert_activity(&tx, activity).await?;
            fetch(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn update_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "update automations set name = ?3, description = ?4, group_id = ?5, \
                 steps = ?6, updated_at = ?7 where organization_id = ?1 and id = ?2",
                args![
                    organization_id,
                    id,
                    &fields.name,
                    fields.description.as_deref(),
                    fields.group_id,
                    steps_text(&fields.steps),
                    now,
                ],
            )
            .await?;
            insert_activity(&tx, activity).await?;
            fetch(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "update automation_runs set status = 'canceled', ended_at = ?3 \
             where organization_id = ?1 and automation_id = ?2 and status = 'pending'",
                args![organization_id, id, now],
            )
            .await?;
            tx.change(
                "delete from automations where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            insert_activity(&tx, activity).await
        }
        .await;
        tx.finish(outcome).await
    }
}

/// One automation of an organization.
pub(super) async fn fetch(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: AutomationId,
) -> StoreResult<AutomationRecord> {
    exec.one(
        concat!(
            automation_select!(),
            "where a.organization_id = ?1 and a.id = ?2"
        ),
        args![organization_id, id],
    )
    .await
}
