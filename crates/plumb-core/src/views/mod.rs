//! The objects as Level's `/v2` shows them, built from the store's records: the `/v2` handlers
//! answer with them and the event webhooks (`crate::events`) carry them as their `data`, so an
//! event shows a device, group or alert exactly as `GET /v2/...` would.

mod device;

pub use device::{Includes, device_view};

use plumb_proto::v2::{Alert, Group};

use crate::store::{AlertRecord, GroupRecord};

/// A group as Level shows it.
pub fn group_view(group: &GroupRecord) -> Group {
    Group {
        id: group.id.to_string(),
        parent_id: group.parent_id.map(|id| id.to_string()),
        child_ids: group.child_ids.iter().map(ToString::to_string).collect(),
        name: group.name.clone(),
        device_count: group.device_count,
        descendent_device_count: group.descendent_device_count,
        custom_fields: None,
    }
}

/// An alert as Level shows it.
pub fn alert_view(alert: &AlertRecord) -> Alert {
    Alert {
        id: alert.id.to_string(),
        device_id: alert.device_id.to_string(),
        device_hostname: alert.device_hostname.clone(),
        name: alert.name.clone(),
        description: alert.description.clone(),
        payload: alert.payload.clone(),
        severity: alert.severity,
        is_resolved: alert.resolved_at.is_some(),
        started_at: alert.started_at,
        resolved_at: alert.resolved_at,
    }
}
