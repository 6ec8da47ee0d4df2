//! The per-backend stores (`plumb-store-sqlite`, `plumb-store-postgres`) still serving the
//! domains whose port to the shared implementation has not landed yet. Each trait here
//! forwards every method to them; a domain's forwarding goes when its shared code lands
//! (docs/adr/0001-one-store.md, "Migration path").

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::*;
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::*;
use plumb_core::transfer::{Import, Row, Table, Transfer};
use plumb_proto::v2::RunStatus;
use time::OffsetDateTime;

use crate::SqlStore;

#[async_trait]
impl AutomationStore for SqlStore {
    async fn insert_install_key(
        &self,
        key: &NewInstallKey,
        activity: &Activity,
    ) -> StoreResult<InstallKeyRecord> {
        self.legacy().insert_install_key(key, activity).await
    }

    async fn list_install_keys(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<InstallKeyRecord>> {
        self.legacy().list_install_keys(organization_id).await
    }

    async fn revoke_install_key(
        &self,
        organization_id: OrganizationId,
        id: InstallKeyId,
        activity: &Activity,
    ) -> StoreResult<()> {
        self.legacy()
            .revoke_install_key(organization_id, id, activity)
            .await
    }

    async fn install_key_by_digest(
        &self,
        digest: &Digest,
    ) -> StoreResult<Option<InstallKeyRecord>> {
        self.legacy().install_key_by_digest(digest).await
    }

    async fn list_automations(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> StoreResult<Page<AutomationRecord>> {
        self.legacy().list_automations(organization_id, page).await
    }

    async fn automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> StoreResult<AutomationRecord> {
        self.legacy().automation(organization_id, id).await
    }

    async fn insert_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        self.legacy()
            .insert_automation(organization_id, id, fields, now, activity)
            .await
    }

    async fn update_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        self.legacy()
            .update_automation(organization_id, id, fields, now, activity)
            .await
    }

    async fn delete_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<()> {
        self.legacy()
            .delete_automation(organization_id, id, now, activity)
            .await
    }

    async fn insert_webhook(
        &self,
        webhook: &NewWebhook,
        activity: &Activity,
    ) -> StoreResult<WebhookRecord> {
        self.legacy().insert_webhook(webhook, activity).await
    }

    async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> StoreResult<Page<WebhookRecord>> {
        self.legacy()
            .list_webhooks(organization_id, automation, page)
            .await
    }

    async fn delete_webhook(
        &self,
        organization_id: OrganizationId,
        id: WebhookId,
        activity: &Activity,
    ) -> StoreResult<()> {
        self.legacy()
            .delete_webhook(organization_id, id, activity)
            .await
    }

    async fn webhook_by_token(&self, digest: &Digest) -> StoreResult<Option<WebhookRecord>> {
        self.legacy().webhook_by_token(digest).await
    }

    async fn start_runs(
        &self,
        organization_id: OrganizationId,
        automation: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<StartedRun>> {
        self.legacy()
            .start_runs(organization_id, automation, only, now)
            .await
    }

    async fn run(&self, organization_id: OrganizationId, id: RunId) -> StoreResult<RunRecord> {
        self.legacy().run(organization_id, id).await
    }

    async fn claim_runs(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<RunRecord>> {
        self.legacy().claim_runs(organization_id, device, now).await
    }

    async fn finish_run(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        id: RunId,
        status: RunStatus,
        results: &[StepResult],
        now: OffsetDateTime,
    ) -> StoreResult<RunRecord> {
        self.legacy()
            .finish_run(organization_id, device, id, status, results, now)
            .await
    }
}

#[async_trait]
impl Transfer for SqlStore {
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>> {
        self.legacy_transfer()
            .export_rows(table, after, limit)
            .await
    }

    async fn count_rows(&self, table: &Table) -> StoreResult<u64> {
        self.legacy_transfer().count_rows(table).await
    }

    async fn begin_import(&self) -> StoreResult<Box<dyn Import>> {
        self.legacy_transfer().begin_import().await
    }
}
