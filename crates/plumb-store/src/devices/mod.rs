//! `DeviceStore`: devices and their check-ins, tags, custom fields and values,
//! alerts and updates. This file only routes each method to the module that implements it;
//! every statement filters on `organization_id` (except the token lookup and the sweep).

mod alerts;
mod checkin;
mod device;
mod fields;
mod list;
mod tags;
mod values;

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::*;
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::*;
use time::OffsetDateTime;

use crate::SqlStore;

#[async_trait]
impl DeviceStore for SqlStore {
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()> {
        device::insert_devices(&self.db, std::slice::from_ref(device)).await
    }

    async fn insert_devices(&self, devices: &[NewDevice]) -> StoreResult<()> {
        device::insert_devices(&self.db, devices).await
    }

    async fn list_devices(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
    ) -> StoreResult<Page<DeviceRecord>> {
        list::fetch_device_page(&self.db, organization_id, filter, page).await
    }

    async fn device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<DeviceRecord> {
        list::fetch_device(&self.db, organization_id, id).await
    }

    async fn update_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        change: &DeviceChange,
        updated_at: OffsetDateTime,
    ) -> StoreResult<DeviceRecord> {
        device::update_device(&self.db, organization_id, id, change, updated_at).await
    }

    async fn delete_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<()> {
        device::delete_device(&self.db, organization_id, id).await
    }

    async fn device_by_token(&self, digest: &Digest) -> StoreResult<Option<TokenOwner>> {
        device::device_by_token(&self.db, digest).await
    }

    async fn record_checkin(
        &self,
        organization_id: OrganizationId,
        checkin: &CheckIn,
    ) -> StoreResult<()> {
        checkin::record_checkin(&self.db, organization_id, checkin).await
    }

    async fn sweep_offline(&self, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>> {
        checkin::sweep_offline(&self.db, now).await
    }

    async fn list_tags(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<TagId>,
    ) -> StoreResult<Page<TagRecord>> {
        tags::list_tags(&self.db, organization_id, page).await
    }

    async fn tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<TagRecord> {
        tags::fetch_tag(&self.db, organization_id, id).await
    }

    async fn insert_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        tags::save_tag(&self.db, organization_id, id, name, now, false).await
    }

    async fn rename_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        tags::save_tag(&self.db, organization_id, id, name, now, true).await
    }

    async fn delete_tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<()> {
        tags::delete_tag(&self.db, organization_id, id).await
    }

    async fn tag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        tags::retag_devices(&self.db, organization_id, id, devices, Some(now)).await
    }

    async fn untag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
    ) -> StoreResult<TagRecord> {
        tags::retag_devices(&self.db, organization_id, id, devices, None).await
    }

    async fn list_custom_fields(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<CustomFieldId>,
    ) -> StoreResult<Page<CustomFieldRecord>> {
        fields::list_fields(&self.db, organization_id, Some(page)).await
    }

    async fn all_custom_fields(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<CustomFieldRecord>> {
        Ok(fields::list_fields(&self.db, organization_id, None)
            .await?
            .items)
    }

    async fn custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<CustomFieldRecord> {
        fields::fetch_field(&self.db, organization_id, id).await
    }

    async fn insert_custom_field(
        &self,
        organization_id: OrganizationId,
        field: &CustomFieldRecord,
        now: OffsetDateTime,
    ) -> StoreResult<CustomFieldRecord> {
        fields::insert_field(&self.db, organization_id, field, now).await
    }

    async fn update_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
    ) -> StoreResult<CustomFieldRecord> {
        fields::update_field(&self.db, organization_id, id, name, admin_only, now).await
    }

    async fn delete_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<()> {
        fields::delete_field(&self.db, organization_id, id).await
    }

    async fn custom_field_values(
        &self,
        organization_id: OrganizationId,
        assignees: &[Assignee],
        field: Option<CustomFieldId>,
    ) -> StoreResult<Vec<StoredValue>> {
        values::values(&self.db, organization_id, assignees, field).await
    }

    async fn set_custom_field_value(
        &self,
        organization_id: OrganizationId,
        value: &StoredValue,
        force: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        values::set_value(&self.db, organization_id, value, force, now).await
    }

    async fn delete_custom_field_value(
        &self,
        organization_id: OrganizationId,
        field: CustomFieldId,
        assignee: Assignee,
        force: bool,
    ) -> StoreResult<bool> {
        values::delete_value(&self.db, organization_id, field, assignee, force).await
    }

    async fn insert_alert(&self, alert: &NewAlert) -> StoreResult<AlertRecord> {
        alerts::insert_alert(&self.db, alert).await
    }

    async fn list_alerts(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        status: Option<AlertStatus>,
        page: &PageRequest<AlertId>,
    ) -> StoreResult<Page<AlertRecord>> {
        alerts::list_alerts(&self.db, organization_id, device, status, page).await
    }

    async fn alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
    ) -> StoreResult<AlertRecord> {
        alerts::alert(&self.db, organization_id, id).await
    }

    async fn resolve_alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
        now: OffsetDateTime,
    ) -> StoreResult<AlertRecord> {
        alerts::resolve_alert(&self.db, organization_id, id, now).await
    }

    async fn list_updates(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        available: Option<bool>,
        page: &PageRequest<UpdateId>,
    ) -> StoreResult<Page<UpdateRecord>> {
        alerts::list_updates(&self.db, organization_id, device, available, page).await
    }

    async fn update(
        &self,
        organization_id: OrganizationId,
        id: UpdateId,
    ) -> StoreResult<UpdateRecord> {
        alerts::update(&self.db, organization_id, id).await
    }
}
