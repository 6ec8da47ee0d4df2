//! Bodies of the management API, `/api/v1`: sessions, setup, users, activity; API keys in
//! `v1/api_keys.rs`, install keys and automations in `v1/automations.rs`, runs in `v1/runs.rs`,
//! custom fields in `v1/custom_fields.rs`, event webhooks in `v1/event_webhooks.rs`, devices in
//! `v1/devices.rs`.

mod api_keys;
mod automations;
mod custom_fields;
mod event_webhooks;
mod runs;

pub use api_keys::*;
pub use automations::*;
pub use custom_fields::*;
pub use event_webhooks::*;
pub use runs::*;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

pub mod devices;

/// A person's role in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// May do everything, including managing users.
    Admin,
    /// May do what their permission flags grant.
    Technician,
}

/// A permission flag a technician can be granted (administrators hold them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Settings: API keys and the activity log.
    Settings,
}

/// What an API key may do on `/v2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// View, create, update and delete.
    ReadWrite,
    /// View only: every write gets 403.
    ReadOnly,
}

/// `POST /api/v1/session`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's email address.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// The organization a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationRef {
    /// Organization id.
    pub id: String,
    /// Organization name.
    pub name: String,
}

/// A person, as the management API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// User id.
    pub id: String,
    /// Sign-in email, unique across the installation.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Effective permissions (an admin holds them all).
    pub permissions: Vec<Permission>,
    /// Whether the account is disabled (cannot sign in).
    pub disabled: bool,
    /// The user's organization.
    pub organization: OrganizationRef,
    /// When the account was created.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}

/// `GET/POST /api/v1/session` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The signed-in user.
    pub user: User,
    /// Send this in `X-CSRF-Token` on every mutating `/api/v1` request.
    pub csrf_token: String,
}

/// `POST /api/v1/setup`: the first organization and its administrator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The one-time token from the setup link.
    pub token: String,
    /// Name of the organization.
    pub organization_name: String,
    /// The administrator's email.
    pub email: String,
    /// The administrator's display name (defaults to the email).
    #[serde(default)]
    pub name: Option<String>,
    /// The administrator's password.
    pub password: String,
}

/// `POST /api/v1/password`: set a password with a one-time link token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// The token from `set_password_url`.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// `POST /api/v1/users`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Permission flags.
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Initial password; without it the response holds a one-time `set_password_url`.
    #[serde(default)]
    pub password: Option<String>,
}

/// `POST /api/v1/users` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedUser {
    /// The new user.
    #[serde(flatten)]
    pub user: User,
    /// A one-time link to set the password, when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_password_url: Option<String>,
}

/// `PATCH /api/v1/users/{id}`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// New permission flags (replaces the set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
    /// Disable or re-enable the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// A list without paging (`/api/v1/users`, `/api/v1/api-keys`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    /// The items.
    pub data: Vec<T>,
}

/// Who did something: a short reference to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// User id.
    pub id: String,
    /// User email.
    pub email: String,
}

/// The API key that made a change through `/v2`: never its value, only its masked form and
/// description at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActingKey {
    /// API key id.
    pub id: String,
    /// The masked value, e.g. `plumb_****x7Qa`.
    pub masked_key: String,
    /// The key's description.
    pub description: String,
}

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// Entry id.
    pub id: String,
    /// What happened, e.g. `api_key.created`, `session.sign_in_failed`.
    pub action: String,
    /// Who did it (`null` for anonymous events such as a failed sign-in for an unknown email,
    /// and for changes made with an API key).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<Actor>,
    /// The API key that made the change through `/v2`; `null` otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub api_key: Option<ActingKey>,
    /// The client address.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ip: Option<String>,
    /// The kind of object it concerns (`api_key`, `user`, `session`).
    pub target_type: String,
    /// The object's id, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub target_id: Option<String>,
    /// Details: for edits `{"before": {...}, "after": {...}}`. Never a secret.
    pub details: serde_json::Value,
    /// When it happened.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}

/// `GET /api/v1/activity` response: newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    /// The entries.
    pub data: Vec<Activity>,
    /// Pass as `cursor` to get the next (older) page; `null` at the end.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}
