//! The storage boundary: [`Store`] and the records that cross it.
//!
//! Backends (`plumb-store-sqlite`, later `plumb-store-postgres`) implement the three role traits;
//! everything above them holds an `Arc<dyn Store>`. Methods are named for intent. Every method
//! that changes something an operator would audit takes the [`Activity`] entry to write in the
//! same transaction, so a change and its log entry are kept or lost together. Every per-tenant
//! method takes the [`OrganizationId`] and never returns another organization's rows.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::crypto::Digest;
use crate::id::{ActivityId, ApiKeyId, DeviceId, GroupId, OrganizationId, UserId};
use crate::page::{Page, PageRequest};
use crate::{Access, Permission, Role, StoreError};

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// An organization (tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Id.
    pub id: OrganizationId,
    /// Name.
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// The organization they belong to.
    pub organization: Organization,
    /// Sign-in email (lower-case, unique across the installation).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Flags granted (administrators implicitly hold all).
    pub permissions: Vec<Permission>,
    /// Whether sign-in is refused.
    pub disabled: bool,
    /// Argon2id PHC string; `None` until the user sets a password.
    pub password_hash: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A short reference to a user: who created or changed something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    /// Id.
    pub id: UserId,
    /// Email at the time.
    pub email: String,
}

/// A new organization.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// Id.
    pub id: OrganizationId,
    /// Name.
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Id.
    pub id: UserId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Flags.
    pub permissions: Vec<Permission>,
    /// Argon2id PHC string, if a password was given.
    pub password_hash: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// Whether creating an organization requires an empty installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateMode {
    /// Only if no organization exists yet (`plumb init`, the setup link); otherwise
    /// `Conflict { constraint: "organizations.first" }`.
    FirstOnly,
    /// Always (`plumb org create`).
    Additional,
}

/// A change to a user; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// New role.
    pub role: Option<Role>,
    /// New flags.
    pub permissions: Option<Vec<Permission>>,
    /// Disable (also ends the user's sessions) or re-enable.
    pub disabled: Option<bool>,
}

/// A signed-in browser or CLI session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the session token.
    pub digest: Digest,
    /// Who.
    pub user_id: UserId,
    /// Sign-in time.
    pub created_at: OffsetDateTime,
    /// When it expires unless used again (idle expiry; capped by the absolute expiry).
    pub expires_at: OffsetDateTime,
}

/// A session found by its digest.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the session token.
    pub digest: Digest,
    /// Sign-in time.
    pub created_at: OffsetDateTime,
    /// Current expiry.
    pub expires_at: OffsetDateTime,
    /// The signed-in user (never a disabled one).
    pub user: User,
}

/// How a key's requests went, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyUsage {
    /// Requests answered below 400.
    pub success_count: u64,
    /// Requests answered 400 or above.
    pub failure_count: u64,
    /// Address of the latest request.
    pub last_ip: Option<String>,
    /// User agent of the latest request.
    pub last_user_agent: Option<String>,
}

/// An API key as stored: never the plain value, only its digest, hint and sealed copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Id.
    pub id: ApiKeyId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// What it is for.
    pub description: String,
    /// Access level.
    pub access: Access,
    /// HMAC-SHA256(pepper, key).
    pub digest: Digest,
    /// The last four characters of the key.
    pub hint: String,
    /// The key sealed under the master key; `None` in hash-only mode.
    pub sealed: Option<Vec<u8>>,
    /// Who created it.
    pub created_by: UserRef,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change of description, access or value.
    pub updated_at: OffsetDateTime,
    /// Most recent authenticated request.
    pub last_used_at: Option<OffsetDateTime>,
    /// Request origins and counts.
    pub usage: KeyUsage,
}

/// A new API key.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// Id.
    pub id: ApiKeyId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// What it is for.
    pub description: String,
    /// Access level.
    pub access: Access,
    /// The secret parts.
    pub secret: KeySecret,
    /// Creator.
    pub created_by: UserId,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// The stored forms of a key value.
#[derive(Debug, Clone)]
pub struct KeySecret {
    /// HMAC-SHA256(pepper, key), unique across the installation.
    pub digest: Digest,
    /// Last four characters.
    pub hint: String,
    /// Sealed copy, or `None` in hash-only mode.
    pub sealed: Option<Vec<u8>>,
}

/// A change to a key's description and/or access.
#[derive(Debug, Clone, Default)]
pub struct ApiKeyChange {
    /// New description.
    pub description: Option<String>,
    /// New access level.
    pub access: Option<Access>,
}

/// Usage gathered in memory since the last write, for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsageDelta {
    /// The key.
    pub id: ApiKeyId,
    /// Time of the latest request; the store keeps the later of this and what it has.
    pub last_used_at: OffsetDateTime,
    /// Address of the latest request.
    pub last_ip: Option<String>,
    /// User agent of the latest request.
    pub last_user_agent: Option<String>,
    /// Successes to add.
    pub successes: u64,
    /// Failures to add.
    pub failures: u64,
}

/// An activity log entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// Id (time-ordered).
    pub id: ActivityId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Who did it, if known.
    pub actor: Option<UserRef>,
    /// What happened, e.g. `api_key.created`.
    pub action: String,
    /// Kind of object.
    pub target_type: String,
    /// Object id.
    pub target_id: Option<String>,
    /// Details (before/after). Never a secret.
    pub details: serde_json::Value,
    /// Client address.
    pub ip: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A group with the figures Level's group object shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// Id.
    pub id: GroupId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Parent group.
    pub parent_id: Option<GroupId>,
    /// Name.
    pub name: String,
    /// Direct children, in id order.
    pub child_ids: Vec<GroupId>,
    /// Devices directly in the group.
    pub device_count: u64,
    /// Devices in the whole subtree.
    pub descendent_device_count: u64,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A new group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// Id.
    pub id: GroupId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Parent (must exist in the organization).
    pub parent_id: Option<GroupId>,
    /// Name (unique among its siblings).
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A change to a group.
#[derive(Debug, Clone, Default)]
pub struct GroupChange {
    /// New name.
    pub name: Option<String>,
    /// New parent: `Some(None)` makes it a root.
    pub parent_id: Option<Option<GroupId>>,
}

/// Which groups a list returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentFilter {
    /// Every group.
    Any,
    /// Root groups only.
    Root,
    /// Direct children of this group.
    ChildrenOf(GroupId),
}

/// A new device (from enrollment, tests or demo data).
#[derive(Debug, Clone)]
pub struct NewDevice {
    /// Id.
    pub id: DeviceId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Group, if any.
    pub group_id: Option<GroupId>,
    /// Hostname.
    pub hostname: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

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
}

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
    async fn insert_group(&self, group: &NewGroup) -> StoreResult<GroupRecord>;
    /// Renames and/or moves a group (the caller has ruled out cycles).
    async fn update_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        change: &GroupChange,
        updated_at: OffsetDateTime,
    ) -> StoreResult<GroupRecord>;
    /// Deletes a group; its devices and child groups move up to its parent. Atomic.
    async fn delete_group(&self, organization_id: OrganizationId, id: GroupId) -> StoreResult<()>;
    /// Inserts a device.
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()>;
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
    ) -> StoreResult<()>;
}

/// Everything plumb keeps. Implemented for every type that implements the role traits.
pub trait Store: AccountStore + KeyStore + InventoryStore {}

impl<T: AccountStore + KeyStore + InventoryStore> Store for T {}
