//! Alerts about devices: listed by device and state, shown, resolved. The offline sweep
//! ([`crate::devices::Devices::sweep_offline`]) raises them; nothing here raises one.

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use crate::DomainError;
use crate::activity::Actor;
use crate::id::{AlertId, DeviceId, OrganizationId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{AlertRecord, AlertStatus, Store};

/// Alert operations over a store, scoped to one organization per call.
#[derive(Clone)]
pub struct Alerts {
    store: Arc<dyn Store>,
}

impl Alerts {
    /// Alerts over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A keyset page of alerts, of one device and in one state if asked.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        status: Option<AlertStatus>,
        page: &PageRequest<AlertId>,
    ) -> Result<Page<AlertRecord>, DomainError> {
        self.store
            .list_alerts(organization_id, device, status, page)
            .await
            .map_err(DomainError::Store)
    }

    /// One alert.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
    ) -> Result<AlertRecord, DomainError> {
        self.store
            .alert(organization_id, id)
            .await
            .map_err(not_found("alert"))
    }

    /// Resolves an alert at `now`; an alert resolved before keeps its first resolution time
    /// (and resolving it again changes nothing, so it is not logged again).
    pub async fn resolve(
        &self,
        actor: &Actor,
        id: AlertId,
        now: OffsetDateTime,
    ) -> Result<AlertRecord, DomainError> {
        let organization_id = actor.organization_id;
        let current = self.get(organization_id, id).await?;
        if current.resolved_at.is_some() {
            return Ok(current);
        }
        let details = json!({
            "name": current.name,
            "device_id": current.device_id.to_string(),
            "device_hostname": current.device_hostname,
            "before": { "status": "open" },
            "after": { "status": "resolved" },
        });
        let entry = actor.record(
            "alert.resolved",
            ("alert", Some(id.to_string())),
            details,
            now,
        );
        self.store
            .resolve_alert(organization_id, id, now, Some(&entry))
            .await
            .map_err(not_found("alert"))
    }
}
