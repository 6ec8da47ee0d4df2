//! The storage boundary: [`Store`] and the records that cross it.
//!
//! `plumb-store` implements the role traits once for SQLite and PostgreSQL;
//! everything above them holds an `Arc<dyn Store>`. Methods are named for intent. Every method
//! that changes something an operator would audit takes the [`Activity`] entry to write in the
//! same transaction, so a change and its log entry are kept or lost together. Every per-tenant
//! method takes the [`OrganizationId`] and never returns another organization's rows.

mod automations;
mod checkin_records;
mod device_records;
mod devices;
mod events;
mod inventory;
mod key_policies;
mod records;
mod summary;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::StoreError;
use crate::crypto::Digest;
use crate::id::{ActivityId, ApiKeyId, DeviceId, GroupId, OrganizationId, UserId};
use crate::page::{Page, PageRequest};

pub use automations::{
    AutomationFields, AutomationRecord, AutomationStore, InstallKeyRecord, InstallKeyStore,
    NewInstallKey, NewWebhook, RunRecord, RunStore, RunsOf, StartedRun, StepResult, WebhookRecord,
    WebhookStore,
};
pub use checkin_records::{CheckinDigests, Heartbeat, HeartbeatOutcome};
pub use device_records::{
    AlertRecord, AlertStatus, CheckIn, CustomFieldRecord, DeviceChange, DeviceFilter, DeviceRecord,
    NewAlert, NewDevice, NewUpdate, OFFLINE_ALERT, TagRecord, TokenOwner, UpdateRecord,
    WentOffline,
};
pub use devices::{
    AlertStore, CustomFieldStore, CustomFieldValueStore, DeviceStore, TagStore, UpdateStore,
};
pub use events::{
    AttemptOutcome, AttemptRecord, ClaimedDelivery, EndpointChange, EndpointRecord, EndpointStore,
    OutboxStore,
};
pub use inventory::{GroupChange, GroupRecord, NewGroup, ParentFilter};
pub use key_policies::{
    BatchQuery, KeyPolicyStore, KeyRequest, KeyRules, PreviousValue, RequestBatch,
};
pub use records::{
    Activity, ApiKeyChange, ApiKeyRecord, CreateMode, KeyRef, KeySecret, KeyUsage, KeyUsageDelta,
    NewApiKey, NewOrganization, NewSession, NewUser, Organization, Session, User, UserChange,
    UserRef,
};
pub use summary::{InventoryDetail, InventorySummary};

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// What [`KeyStore::reseal_secrets`] applies to each sealed copy: the copy's context (the text
/// of the id it was sealed for: an API key's or a webhook trigger's, bound into it as associated
/// data) and the sealed bytes in, the new copy (or `None` to keep the old one) out. Synchronous:
/// it runs inside the store's transaction.
pub type Reseal<'a> = dyn Fn(&str, &[u8]) -> Option<Vec<u8>> + Send + Sync + 'a;

/// Installation-wide settings, organizations, users, sessions and one-time tokens.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// Reads an installation setting.
    async fn setting(&self, name: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Stores `value` under `name` unless a value exists; returns the value now stored. Several
    /// nodes starting at once all end up with the same value.
    async fn init_setting(
        &self,
        name: &str,
        value: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Vec<u8>>;
    /// Creates an organization and its first administrator, atomically.
    async fn create_organization(
        &self,
        organization: &NewOrganization,
        admin: &NewUser,
        mode: CreateMode,
        activity: &Activity,
    ) -> StoreResult<()>;
    /// Whether any organization exists.
    async fn has_organizations(&self) -> StoreResult<bool>;
    /// An organization by id.
    async fn organization(&self, id: OrganizationId) -> StoreResult<Organization>;
    /// A user by (normalised) email, in any organization.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    /// A user of an organization.
    async fn user(&self, organization_id: OrganizationId, id: UserId) -> StoreResult<User>;
    /// Every user of an organization, oldest first.
    async fn list_users(&self, organization_id: OrganizationId) -> StoreResult<Vec<User>>;
    /// Inserts a user; `Conflict { constraint: "users.email" }` if the email is taken.
    async fn insert_user(&self, user: &NewUser, activity: &Activity) -> StoreResult<User>;
    /// Changes a user; disabling also deletes the user's sessions.
    async fn update_user(
        &self,
        organization_id: OrganizationId,
        id: UserId,
        change: &UserChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<User>;
    /// Stores a one-time password link for a user.
    async fn insert_password_token(
        &self,
        digest: &Digest,
        user_id: UserId,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Uses a password link: if it exists, is unused and unexpired, sets the password, marks the
    /// link used and returns the user; otherwise `NotFound`. Atomic.
    async fn consume_password_token(
        &self,
        digest: &Digest,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<User>;
    /// Stores a session.
    async fn insert_session(&self, session: &NewSession) -> StoreResult<()>;
    /// A live session (unexpired, user enabled) by digest.
    async fn session(&self, digest: &Digest, now: OffsetDateTime) -> StoreResult<Option<Session>>;
    /// Extends a session's idle expiry.
    async fn touch_session(&self, digest: &Digest, expires_at: OffsetDateTime) -> StoreResult<()>;
    /// Ends a session.
    async fn delete_session(&self, digest: &Digest) -> StoreResult<()>;
}

/// API keys, their usage and the activity log.
#[async_trait]
pub trait KeyStore: Send + Sync + 'static {
    /// Inserts a key; `Conflict { constraint: "api_keys.digest" }` on a digest collision.
    async fn insert_api_key(
        &self,
        key: &NewApiKey,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// A live (not deleted) key of an organization.
    async fn api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
    ) -> StoreResult<ApiKeyRecord>;
    /// A live key by digest, in any organization: the verification lookup.
    async fn api_key_by_digest(&self, digest: &Digest) -> StoreResult<Option<ApiKeyRecord>>;
    /// Live keys of an organization, newest first; `search` is a case-insensitive substring of
    /// the description.
    async fn list_api_keys(
        &self,
        organization_id: OrganizationId,
        search: Option<&str>,
    ) -> StoreResult<Vec<ApiKeyRecord>>;
    /// Changes description and/or access.
    async fn update_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        change: &ApiKeyChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// Replaces the key value (regenerate); id, description and access stay.
    async fn replace_api_key_secret(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        secret: &KeySecret,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// Revokes a key for good (its sealed copy is erased); returns it as it was.
    async fn delete_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        deleted_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// Re-seals every stored secret in one transaction (master key rotation): `reseal` is given
    /// each live API key's sealed copy, then each webhook trigger's sealed token, with the id it
    /// is bound to, and returns the new copy, or `None` to keep it. Returns how many were
    /// replaced. Secrets without a sealed copy (hash-only mode) are not offered.
    async fn reseal_secrets(&self, reseal: &Reseal<'_>) -> StoreResult<u64>;
    /// Adds usage gathered in memory (write-behind); unknown or deleted keys are skipped.
    async fn record_api_key_usage(&self, usage: &[KeyUsageDelta]) -> StoreResult<()>;
    /// Appends to the activity log.
    async fn insert_activity(&self, activity: &Activity) -> StoreResult<()>;
    /// The activity log, newest first, entries older than `before` if given.
    async fn list_activity(
        &self,
        organization_id: OrganizationId,
        before: Option<ActivityId>,
        limit: u32,
    ) -> StoreResult<Vec<Activity>>;
    /// The activity log as `/v2/activities` shows it: a keyset page in id (creation) order,
    /// leaving out sign-in entries (actions starting with [`SIGN_IN_ACTIONS`]).
    async fn list_changes(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<ActivityId>,
    ) -> StoreResult<Page<Activity>>;
}

/// The action prefix of sign-in entries (`session.signed_in`, `session.sign_in_failed`): kept for
/// people with the Settings permission, never listed to API keys.
pub const SIGN_IN_ACTIONS: &str = "session.";

/// Groups and devices.
#[async_trait]
pub trait InventoryStore: Send + Sync + 'static {
    /// A page of groups in id order.
    async fn list_groups(
        &self,
        organization_id: OrganizationId,
        parent: ParentFilter,
        page: &PageRequest<GroupId>,
    ) -> StoreResult<Page<GroupRecord>>;
    /// One group.
    async fn group(&self, organization_id: OrganizationId, id: GroupId)
    -> StoreResult<GroupRecord>;
    /// The ids of a group's ancestors, nearest first.
    async fn group_ancestors(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> StoreResult<Vec<GroupId>>;
    /// Inserts a group; `Conflict { constraint: "groups.name" }` if a sibling has the name.
    async fn insert_group(
        &self,
        group: &NewGroup,
        activity: Option<&Activity>,
    ) -> StoreResult<GroupRecord>;
    /// Renames and/or moves a group (the caller has ruled out cycles).
    async fn update_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        change: &GroupChange,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<GroupRecord>;
    /// Deletes a group; its devices and child groups move up to its parent. Atomic.
    /// `deleted_at` dates its events.
    async fn delete_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        deleted_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
    /// The devices among `ids` that exist in the organization, with their current group.
    async fn device_groups(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
    ) -> StoreResult<Vec<(DeviceId, Option<GroupId>)>>;
    /// Moves devices into a group (or out of any, with `None`), atomically.
    async fn move_devices(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
        group_id: Option<GroupId>,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
}

/// Everything plumb keeps. Implemented for every type that implements the role traits.
pub trait Store:
    AccountStore
    + KeyStore
    + KeyPolicyStore
    + InventoryStore
    + DeviceStore
    + TagStore
    + CustomFieldStore
    + CustomFieldValueStore
    + AlertStore
    + UpdateStore
    + InstallKeyStore
    + AutomationStore
    + WebhookStore
    + RunStore
    + EndpointStore
    + OutboxStore
{
}

impl<T> Store for T where
    T: AccountStore
        + KeyStore
        + KeyPolicyStore
        + InventoryStore
        + DeviceStore
        + TagStore
        + CustomFieldStore
        + CustomFieldValueStore
        + AlertStore
        + UpdateStore
        + InstallKeyStore
        + AutomationStore
        + WebhookStore
        + RunStore
        + EndpointStore
        + OutboxStore
{
}
