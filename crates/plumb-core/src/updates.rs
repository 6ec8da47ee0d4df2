//! Updates (patches and packages) devices report: listed by device and state, shown. A
//! check-in replaces a device's list ([`crate::agents`]); nothing here changes one.

use std::sync::Arc;

use crate::DomainError;
use crate::id::{DeviceId, OrganizationId, UpdateId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{Store, UpdateRecord};

/// Update reads over a store, scoped to one organization per call.
#[derive(Clone)]
pub struct Updates {
    store: Arc<dyn Store>,
}

impl Updates {
    /// Updates over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A keyset page of updates, of one device if asked; `available` picks available (true)
    /// or installed (false) ones.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        available: Option<bool>,
        page: &PageRequest<UpdateId>,
    ) -> Result<Page<UpdateRecord>, DomainError> {
        self.store
            .list_updates(organization_id, device, available, page)
            .await
            .map_err(DomainError::Store)
    }

    /// One update.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: UpdateId,
    ) -> Result<UpdateRecord, DomainError> {
        self.store
            .update(organization_id, id)
            .await
            .map_err(not_found("update"))
    }
}
