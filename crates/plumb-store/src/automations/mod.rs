//! `AutomationStore`: install keys, automations, webhook triggers and runs, written once for
//! both databases.
//!
//! Each area lives in its own module; this one only routes the trait's methods to them.
//! Tenancy is enforced as in `inventory`: every statement filters on `organization_id`, and
//! composite foreign keys refuse a group or automation from another organization (`NotFound`).

mod definitions;
mod install_keys;
mod runs;
mod spelling;
mod webhooks;

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::{AutomationId, DeviceId, InstallKeyId, OrganizationId, RunId, WebhookId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, AutomationFields, AutomationRecord, AutomationStore};
use plumb_core::store::{InstallKeyRecord, NewInstallKey, NewWebhook, RunRecord, StartedRun};
use plumb_core::store::{StepResult, StoreResult, WebhookRecord};
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
        install_keys::insert(&self.db, key, activity).await
    }

    async fn list_install_keys(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<InstallKeyRecord>> {
        install_keys::list(&self.db, organization_id).await
    }

    async fn revoke_install_key(
        &self,
        organization_id: OrganizationId,
        id: InstallKeyId,
        activity: &Activity,
    ) -> StoreResult<()> {
        install_keys::revoke(&self.db, organization_id, id, activity).await
    }

    async fn install_key_by_digest(
        &self,
        digest: &Digest,
    ) -> StoreResult<Option<InstallKeyRecord>> {
        install_keys::by_digest(&self.db, digest).await
    }

    async fn list_automations(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> StoreResult<Page<AutomationRecord>> {
        definitions::page(&self.db, organization_id, page).await
    }

    async fn automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> StoreResult<AutomationRecord> {
        definitions::fetch(&self.db, organization_id, id).await
    }

    async fn insert_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        definitions::insert(&self.db, organization_id, id, fields, now, activity).await
    }

    async fn update_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        definitions::update(&self.db, organization_id, id, fields, now, activity).await
    }

    async fn delete_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<()> {
        definitions::delete(&self.db, organization_id, id, now, activity).await
    }

    async fn insert_webhook(
        &self,
        webhook: &NewWebhook,
        activity: &Activity,
    ) -> StoreResult<WebhookRecord> {
        webhooks::insert(&self.db, webhook, activity).await
    }

    async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> StoreResult<Page<WebhookRecord>> {
        webhooks::page(&self.db, organization_id, automation, page).await
    }

    async fn delete_webhook(
        &self,
        organization_id: OrganizationId,
        id: WebhookId,
        activity: &Activity,
    ) -> StoreResult<()> {
        webhooks::delete(&self.db, organization_id, id, activity).await
    }

    async fn webhook_by_token(&self, digest: &Digest) -> StoreResult<Option<WebhookRecord>> {
        webhooks::by_token(&self.db, digest).await
    }

    async fn start_runs(
        &self,
        organization_id: OrganizationId,
        automation: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<StartedRun>> {
        runs::start(&self.db, organization_id, automation, only, now).await
    }

    async fn run(&self, organization_id: OrganizationId, id: RunId) -> StoreResult<RunRecord> {
        runs::fetch(&self.db, organization_id, id).await
    }

    async fn claim_runs(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<RunRecord>> {
        runs::claim(&self.db, organization_id, device, now).await
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
        runs::finish(&self.db, organization_id, device, id, status, results, now).await
    }
}
