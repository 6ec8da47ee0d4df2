//! `AutomationStore` for sqlite (being written).
#![allow(unused_variables, unused_imports)]

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::*;
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::*;
use plumb_proto::v2::RunStatus;
use time::OffsetDateTime;

use crate::SqliteStore;

#[async_trait]
impl AutomationStore for SqliteStore {
    async fn insert_install_key(
        &self,
        key: &NewInstallKey,
        activity: &Activity,
    ) -> StoreResult<InstallKeyRecord> {
        unimplemented!("AutomationStore")
    }

    async fn list_install_keys(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<InstallKeyRecord>> {
        unimplemented!("AutomationStore")
    }

    async fn revoke_install_key(
        &self,
        organization_id: OrganizationId,
        id: InstallKeyId,
        activity: &Activity,
    ) -> StoreResult<()> {
        unimplemented!("AutomationStore")
    }

    async fn install_key_by_digest(
        &self,
        digest: &Digest,
    ) -> StoreResult<Option<InstallKeyRecord>> {
        unimplemented!("AutomationStore")
    }

    async fn list_automations(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> StoreResult<Page<AutomationRecord>> {
        unimplemented!("AutomationStore")
    }

    async fn automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> StoreResult<AutomationRecord> {
        unimplemented!("AutomationStore")
    }

    async fn insert_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        unimplemented!("AutomationStore")
    }

    async fn update_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord> {
        unimplemented!("AutomationStore")
    }

    async fn delete_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<()> {
        unimplemented!("AutomationStore")
    }

    async fn insert_webhook(
        &self,
        webhook: &NewWebhook,
        activity: &Activity,
    ) -> StoreResult<WebhookRecord> {
        unimplemented!("AutomationStore")
    }

    async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> StoreResult<Page<WebhookRecord>> {
        unimplemented!("AutomationStore")
    }

    async fn delete_webhook(
        &self,
        organization_id: OrganizationId,
        id: WebhookId,
        activity: &Activity,
    ) -> StoreResult<()> {
        unimplemented!("AutomationStore")
    }

    async fn webhook_by_token(&self, digest: &Digest) -> StoreResult<Option<WebhookRecord>> {
        unimplemented!("AutomationStore")
    }

    async fn start_runs(
        &self,
        organization_id: OrganizationId,
        automation: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<StartedRun>> {
        unimplemented!("AutomationStore")
    }

    async fn run(&self, organization_id: OrganizationId, id: RunId) -> StoreResult<RunRecord> {
        unimplemented!("AutomationStore")
    }

    async fn claim_runs(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<RunRecord>> {
        unimplemented!("AutomationStore")
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
        unimplemented!("AutomationStore")
    }
}
