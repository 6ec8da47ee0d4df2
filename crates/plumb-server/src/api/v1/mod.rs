//! The management API, `/api/v1`, and the mapping from core records to its wire types.

pub mod activity;
pub mod api_key_policies;
pub mod api_keys;
pub mod automation_webhooks;
pub mod automations;
pub mod custom_fields;
pub mod devices;
pub mod event_webhooks;
pub mod group_edits;
pub mod groups;
pub mod install_keys;
pub mod runs;
pub mod session;
pub mod setup;
pub mod tags_alerts;
pub mod users;

use plumb_core::accounts::effective_permissions;
use plumb_core::api_key;
use plumb_core::store::{ApiKeyRecord, KeyRef, User, UserRef};
use plumb_proto::v1 as proto;

/// A user as the API shows them.
pub fn user_view(user: &User) -> proto::User {
    proto::User {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        permissions: effective_permissions(user),
        disabled: user.disabled,
        organization: proto::OrganizationRef {
            id: user.organization.id.to_string(),
            name: user.organization.name.clone(),
        },
        created_at: user.created_at,
    }
}

/// A user reference as the API shows it.
pub fn actor_view(user: &UserRef) -> proto::Actor {
    proto::Actor {
        id: user.id.to_string(),
        email: user.email.clone(),
    }
}

/// The API key behind an activity entry, as the APIs show it.
pub fn acting_key_view(key: &KeyRef) -> proto::ActingKey {
    proto::ActingKey {
        id: key.id.to_string(),
        masked_key: key.masked_key.clone(),
        description: key.description.clone(),
    }
}

/// A key as the API shows it: never its value.
pub fn key_view(
    record: &ApiKeyRecord,
    requests_last_24h: u64,
    now: time::OffsetDateTime,
) -> proto::ApiKey {
    proto::ApiKey {
        id: record.id.to_string(),
        description: record.description.clone(),
        access: record.access,
        masked_key: api_key::mask(&record.hint),
        last_used_at: record.last_used_at,
        created_at: record.created_at,
        created_by: actor_view(&record.created_by),
        usage: proto::KeyUsage {
            success_count: record.usage.success_count,
            failure_count: record.usage.failure_count,
            last_ip: record.usage.last_ip.clone(),
            last_user_agent: record.usage.last_user_agent.clone(),
        },
        requests_last_24h,
        expires_at: record.rules.expires_at,
        disabled: record.rules.disabled,
        allowed_ips: record.rules.allowed_ips.clone(),
        rate_limit_per_minute: record.rules.rate_limit_per_minute,
        effective_rate_limit_per_minute: record
            .rules
            .rate_limit_per_minute
            .or(record.organization_rate_limit),
        previous_valid_until: record
            .previous
            .map(|previous| previous.valid_until)
            .filter(|until| *until > now),
    }
}
