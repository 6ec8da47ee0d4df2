//! The records of accounts and keys that cross the storage boundary: organizations, users and
//! sessions, API keys with their secrets and usage, and activity log entries. They are
//! re-exported from [`crate::store`], which is where the rest of the code names them.

use time::OffsetDateTime;

use super::key_policies::{KeyRules, PreviousValue};
use crate::crypto::Digest;
use crate::id::{ActivityId, ApiKeyId, OrganizationId, UserId};
use crate::{Access, Permission, Role};

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

/// An API key that made a change through `/v2`, as the activity log names it: never its
/// value, only the masked form the key list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    /// Id.
    pub id: ApiKeyId,
    /// The masked value at the time, e.g. `plumb_****x7Qa`.
    pub masked_key: String,
    /// The description at the time.
    pub description: String,
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
    /// What its owner limits: expiry, disabling, addresses, rate.
    pub rules: KeyRules,
    /// The value a regeneration replaced, while its grace period lasts (or lasted).
    pub previous: Option<PreviousValue>,
    /// The organization's default requests per minute, for a key without its own limit.
    pub organization_rate_limit: Option<u32>,
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
    /// Expiry, addresses, rate limit (and `disabled`, normally false).
    pub rules: KeyRules,
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

/// A change to a key's settings; `None` keeps a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct ApiKeyChange {
    /// New description.
    pub description: Option<String>,
    /// New access level.
    pub access: Option<Access>,
    /// New expiry (`Some(None)`: never).
    pub expires_at: Option<Option<OffsetDateTime>>,
    /// Disable or enable.
    pub disabled: Option<bool>,
    /// New address list (empty: anywhere), each entry in its canonical spelling.
    pub allowed_ips: Option<Vec<String>>,
    /// New rate limit (`Some(None)`: the organization's default).
    pub rate_limit_per_minute: Option<Option<u32>>,
}

impl ApiKeyChange {
    /// Whether the change changes nothing.
    pub fn is_empty(&self) -> bool {
        self.description.is_none()
            && self.access.is_none()
            && self.expires_at.is_none()
            && self.disabled.is_none()
            && self.allowed_ips.is_none()
            && self.rate_limit_per_minute.is_none()
    }
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
    /// The API key that did it, for changes made through `/v2`.
    pub api_key: Option<KeyRef>,
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
