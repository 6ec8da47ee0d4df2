//! Rows of the account tables (organizations, users, sessions, API keys, activity, groups).
//!
//! `T` is the backend's stored time ([`StoredTime`]); a group row's child ids are `L`
//! ([`StoredIds`]). The two `select`s both backends share are macros so that callers can
//! `concat!` a `where` onto them.

use plumb_core::StoreError;
use plumb_core::id::{ActivityId, ApiKeyId, GroupId, OrganizationId, UserId};
use plumb_core::store::{Activity, ApiKeyRecord, GroupRecord, KeyUsage, Organization, Session};
use plumb_core::store::{User, UserRef};

use crate::codec::{parse_access, parse_count, parse_digest, parse_optional_uuid};
use crate::codec::{parse_permissions, parse_role, parse_uuid};
use crate::damaged;
use crate::stored::{StoredIds, StoredTime, optional_time};

/// Selects a [`UserRow`]; callers append a `where` on `u` (users) or `o` (organizations).
#[macro_export]
macro_rules! user_select {
    () => {
        "select u.id, u.organization_id, o.name as organization_name, \
         o.created_at as organization_created_at, u.email, u.name, u.role, u.permissions, \
         u.disabled, u.password_hash, u.created_at, u.updated_at \
         from users u join organizations o on o.id = u.organization_id "
    };
}

/// Selects an [`ApiKeyRow`]; callers append a `where` on `k` (api_keys).
#[macro_export]
macro_rules! api_key_select {
    () => {
        "select k.id, k.organization_id, k.description, k.access, k.key_digest, k.key_hint, \
         k.key_sealed, k.created_by, u.email as created_by_email, k.created_at, k.updated_at, \
         k.last_used_at, k.last_used_ip, k.last_used_user_agent, k.success_count, \
         k.failure_count \
         from api_keys k join users u on u.id = k.created_by "
    };
}

/// An organization.
#[derive(sqlx::FromRow)]
pub struct OrganizationRow<T> {
    id: String,
    name: String,
    created_at: T,
}

impl<T: StoredTime> TryFrom<OrganizationRow<T>> for Organization {
    type Error = StoreError;

    fn try_from(row: OrganizationRow<T>) -> Result<Self, StoreError> {
        Ok(Organization {
            id: OrganizationId(parse_uuid(&row.id)?),
            name: row.name,
            created_at: row.created_at.into_time()?,
        })
    }
}

/// A user with their organization, from [`user_select!`].
#[derive(sqlx::FromRow)]
pub struct UserRow<T> {
    id: String,
    organization_id: String,
    organization_name: String,
    organization_created_at: T,
    email: String,
    name: String,
    role: String,
    permissions: String,
    disabled: bool,
    password_hash: Option<String>,
    created_at: T,
    updated_at: T,
}

impl<T: StoredTime> TryFrom<UserRow<T>> for User {
    type Error = StoreError;

    fn try_from(row: UserRow<T>) -> Result<Self, StoreError> {
        let organization = Organization {
            id: OrganizationId(parse_uuid(&row.organization_id)?),
            name: row.organization_name,
            created_at: row.organization_created_at.into_time()?,
        };
        Ok(User {
            id: UserId(parse_uuid(&row.id)?),
            organization,
            email: row.email,
            name: row.name,
            role: parse_role(&row.role)?,
            permissions: parse_permissions(&row.permissions)?,
            disabled: row.disabled,
            password_hash: row.password_hash,
            created_at: row.created_at.into_time()?,
            updated_at: row.updated_at.into_time()?,
        })
    }
}

/// A session with its user's row.
#[derive(sqlx::FromRow)]
pub struct SessionRow<T> {
    digest: Vec<u8>,
    session_created_at: T,
    session_expires_at: T,
    #[sqlx(flatten)]
    user: UserRow<T>,
}

impl<T: StoredTime> TryFrom<SessionRow<T>> for Session {
    type Error = StoreError;

    fn try_from(row: SessionRow<T>) -> Result<Self, StoreError> {
        Ok(Session {
            digest: parse_digest(&row.digest)?,
            created_at: row.session_created_at.into_time()?,
            expires_at: row.session_expires_at.into_time()?,
            user: row.user.try_into()?,
        })
    }
}

/// An API key with its creator's email, from [`api_key_select!`].
#[derive(sqlx::FromRow)]
pub struct ApiKeyRow<T> {
    id: String,
    organization_id: String,
    description: String,
    access: String,
    key_digest: Vec<u8>,
    key_hint: String,
    key_sealed: Option<Vec<u8>>,
    created_by: String,
    created_by_email: String,
    created_at: T,
    updated_at: T,
    last_used_at: Option<T>,
    last_used_ip: Option<String>,
    last_used_user_agent: Option<String>,
    success_count: i64,
    failure_count: i64,
}

impl<T: StoredTime> TryFrom<ApiKeyRow<T>> for ApiKeyRecord {
    type Error = StoreError;

    fn try_from(row: ApiKeyRow<T>) -> Result<Self, StoreError> {
        Ok(ApiKeyRecord {
            id: ApiKeyId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            description: row.description,
            access: parse_access(&row.access)?,
            digest: parse_digest(&row.key_digest)?,
            hint: row.key_hint,
            sealed: row.key_sealed,
            created_by: UserRef {
                id: UserId(parse_uuid(&row.created_by)?),
                email: row.created_by_email,
            },
            created_at: row.created_at.into_time()?,
            updated_at: row.updated_at.into_time()?,
            last_used_at: optional_time(row.last_used_at)?,
            usage: KeyUsage {
                success_count: parse_count(row.success_count)?,
                failure_count: parse_count(row.failure_count)?,
                last_ip: row.last_used_ip,
                last_user_agent: row.last_used_user_agent,
            },
        })
    }
}

/// An activity entry.
#[derive(sqlx::FromRow)]
pub struct ActivityRow<T> {
    id: String,
    organization_id: String,
    actor_id: Option<String>,
    actor_email: Option<String>,
    action: String,
    target_type: String,
    target_id: Option<String>,
    details: String,
    ip: Option<String>,
    created_at: T,
}

impl<T: StoredTime> TryFrom<ActivityRow<T>> for Activity {
    type Error = StoreError;

    fn try_from(row: ActivityRow<T>) -> Result<Self, StoreError> {
        // The actor is written as both columns or neither.
        let actor = match (row.actor_id, row.actor_email) {
            (Some(id), Some(email)) => Some(UserRef {
                id: UserId(parse_uuid(&id)?),
                email,
            }),
            _ => None,
        };
        Ok(Activity {
            id: ActivityId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            actor,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            details: serde_json::from_str(&row.details).map_err(|_| damaged("activity details"))?,
            ip: row.ip,
            created_at: row.created_at.into_time()?,
        })
    }
}

/// A group with its direct children and device counts; each store aggregates the children
/// its own way (`L`).
#[derive(sqlx::FromRow)]
pub struct GroupRow<T, L> {
    id: String,
    organization_id: String,
    parent_id: Option<String>,
    name: String,
    /// The ids of the direct children.
    child_ids: L,
    device_count: i64,
    descendent_device_count: i64,
    created_at: T,
    updated_at: T,
}

impl<T: StoredTime, L: StoredIds> TryFrom<GroupRow<T, L>> for GroupRecord {
    type Error = StoreError;

    fn try_from(row: GroupRow<T, L>) -> Result<Self, StoreError> {
        let child_ids = row.child_ids.into_ids()?.into_iter().map(GroupId).collect();
        Ok(GroupRecord {
            id: GroupId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            parent_id: parse_optional_uuid(row.parent_id.as_deref())?.map(GroupId),
            name: row.name,
            child_ids,
            device_count: parse_count(row.device_count)?,
            descendent_device_count: parse_count(row.descendent_device_count)?,
            created_at: row.created_at.into_time()?,
            updated_at: row.updated_at.into_time()?,
        })
    }
}
