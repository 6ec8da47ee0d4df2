//! Records of enrollment and automation: install keys, automations with their script steps,
//! webhook triggers and runs, and the [`AutomationStore`] trait that keeps them.

use async_trait::async_trait;
use plumb_proto::agent::ScriptStep;
use plumb_proto::v2::RunStatus;
use time::OffsetDateTime;

use super::{Activity, StoreResult};
use crate::crypto::Digest;
use crate::id::{AutomationId, DeviceId, GroupId, InstallKeyId, OrganizationId, RunId, WebhookId};
use crate::page::{Page, PageRequest};

/// An install key: enrolls devices into its organization (and group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallKeyRecord {
    /// Id.
    pub id: InstallKeyId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Group new devices join; `None` for no group.
    pub group_id: Option<GroupId>,
    /// Last characters of the key, for the masked form.
    pub hint: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A new install key.
#[derive(Debug, Clone)]
pub struct NewInstallKey {
    /// Id.
    pub id: InstallKeyId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Group for new devices.
    pub group_id: Option<GroupId>,
    /// Digest of the key (the key itself is never stored).
    pub digest: Digest,
    /// Last characters of the key.
    pub hint: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// An automation: ordered script steps for the devices of a group (or of the organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomationRecord {
    /// Id.
    pub id: AutomationId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Target group (its whole subtree); `None` targets every device.
    pub group_id: Option<GroupId>,
    /// That group's name.
    pub group_name: Option<String>,
    /// Steps, in order.
    pub steps: Vec<ScriptStep>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// The fields a person sets on an automation (create, or a full replacement on update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomationFields {
    /// Name (unique in the organization).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Target group.
    pub group_id: Option<GroupId>,
    /// Steps, in order.
    pub steps: Vec<ScriptStep>,
}

/// A webhook trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    /// Id.
    pub id: WebhookId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// The automation.
    pub automation_id: AutomationId,
    /// The automation's name.
    pub automation_name: String,
    /// The token sealed with the master key (the URL is shown again from it).
    pub sealed_token: Vec<u8>,
    /// Digest of the required `Authorization` value, if one is required.
    pub authorization_digest: Option<Digest>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A new webhook trigger.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// Id.
    pub id: WebhookId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// The automation.
    pub automation_id: AutomationId,
    /// Digest of the token: the lookup.
    pub token_digest: Digest,
    /// The token sealed with the master key.
    pub sealed_token: Vec<u8>,
    /// Digest of the required `Authorization` value.
    pub authorization_digest: Option<Digest>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// Step name.
    pub name: String,
    /// Status.
    pub status: RunStatus,
    /// Output (bounded by the agent).
    pub output: String,
}

/// A run of an automation on one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// Id.
    pub id: RunId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// The automation, while it exists.
    pub automation_id: Option<AutomationId>,
    /// The automation's name when the run was created.
    pub automation_name: String,
    /// The device, while it exists.
    pub device_id: Option<DeviceId>,
    /// The device's hostname.
    pub device_hostname: Option<String>,
    /// Status.
    pub status: RunStatus,
    /// The steps to run (copied from the automation when the run was created).
    pub steps: Vec<ScriptStep>,
    /// The outcome of each executed step.
    pub results: Vec<StepResult>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When the agent picked it up.
    pub started_at: Option<OffsetDateTime>,
    /// When it ended.
    pub ended_at: Option<OffsetDateTime>,
}

/// Whose runs a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsOf {
    /// One automation's (runs outliving a deleted automation are no longer its).
    Automation(AutomationId),
    /// One device's.
    Device(DeviceId),
}

/// A run started by a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartedRun {
    /// Run id.
    pub id: RunId,
    /// Device.
    pub device_id: DeviceId,
}

/// Install keys, which enroll devices into an organization.
#[async_trait]
pub trait InstallKeyStore: Send + Sync + 'static {
    /// Inserts an install key; `NotFound` for a group outside the organization.
    async fn insert_install_key(
        &self,
        key: &NewInstallKey,
        activity: &Activity,
    ) -> StoreResult<InstallKeyRecord>;
    /// Live install keys of an organization, newest first.
    async fn list_install_keys(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<InstallKeyRecord>>;
    /// Revokes an install key for good.
    async fn revoke_install_key(
        &self,
        organization_id: OrganizationId,
        id: InstallKeyId,
        activity: &Activity,
    ) -> StoreResult<()>;
    /// A live install key by digest, in any organization: the enrollment lookup.
    async fn install_key_by_digest(&self, digest: &Digest)
    -> StoreResult<Option<InstallKeyRecord>>;
}

/// Automations.
#[async_trait]
pub trait AutomationStore: Send + Sync + 'static {
    /// A keyset page of automations in id order.
    async fn list_automations(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<AutomationId>,
    ) -> StoreResult<Page<AutomationRecord>>;
    /// One automation.
    async fn automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
    ) -> StoreResult<AutomationRecord>;
    /// Inserts an automation; `Conflict { constraint: "automations.name" }` for a taken name,
    /// `NotFound` for a group outside the organization.
    async fn insert_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord>;
    /// Replaces an automation's fields; same errors as insert.
    async fn update_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        fields: &AutomationFields,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<AutomationRecord>;
    /// Deletes an automation and its triggers; its runs stay, without an automation, and
    /// pending ones are canceled.
    async fn delete_automation(
        &self,
        organization_id: OrganizationId,
        id: AutomationId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<()>;
}

/// The webhook triggers of automations.
#[async_trait]
pub trait WebhookStore: Send + Sync + 'static {
    /// Inserts a webhook trigger; `NotFound` for a missing automation.
    async fn insert_webhook(
        &self,
        webhook: &NewWebhook,
        activity: &Activity,
    ) -> StoreResult<WebhookRecord>;
    /// A keyset page of the organization's triggers in id order, optionally of one automation.
    async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> StoreResult<Page<WebhookRecord>>;
    /// Deletes a trigger: its token stops working at once.
    async fn delete_webhook(
        &self,
        organization_id: OrganizationId,
        id: WebhookId,
        activity: &Activity,
    ) -> StoreResult<()>;
    /// A trigger by token digest, in any organization.
    async fn webhook_by_token(&self, digest: &Digest) -> StoreResult<Option<WebhookRecord>>;
}

/// Runs of automations on devices.
#[async_trait]
pub trait RunStore: Send + Sync + 'static {
    /// Creates one pending run per target device of the automation: the devices of its group's
    /// subtree (or of the organization), narrowed to `only` when given (ids outside the target
    /// are skipped). Returns the runs in device id order. Atomic; `activity` (a person's Run
    /// now) is written in the same transaction, and only when a run was started.
    async fn start_runs(
        &self,
        organization_id: OrganizationId,
        automation: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<Vec<StartedRun>>;
    /// Up to `limit` runs of one automation or device, newest first, those older than
    /// `before` when given.
    async fn list_runs(
        &self,
        organization_id: OrganizationId,
        of: RunsOf,
        before: Option<RunId>,
        limit: u32,
    ) -> StoreResult<Vec<RunRecord>>;
    /// One run.
    async fn run(&self, organization_id: OrganizationId, id: RunId) -> StoreResult<RunRecord>;
    /// The device's pending runs, oldest first, moved to `running` (started now). Atomic: two
    /// check-ins at once never both get a run.
    async fn claim_runs(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<RunRecord>>;
    /// Records the outcome of a running run of this device: `NotFound` if the run is not this
    /// device's, `Conflict { constraint: "automation_runs.finished" }` if it already ended.
    async fn finish_run(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        id: RunId,
        status: RunStatus,
        results: &[StepResult],
        now: OffsetDateTime,
    ) -> StoreResult<RunRecord>;
}
