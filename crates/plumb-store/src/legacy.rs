//! The per-backend stores (`plumb-store-sqlite`, `plumb-store-postgres`) still serving the
//! domains whose port to the shared implementation has not landed yet. Each trait here
//! forwards every method to them; a domain's forwarding goes when its shared code lands
//! (docs/adr/0001-one-store.md, "Migration path").

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::*;
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::*;
use plumb_core::transfer::{Import, Row, Table, Transfer};
use time::OffsetDateTime;

use crate::SqlStore;

#[async_trait]
impl DeviceStore for SqlStore {
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()> {
        self.legacy().insert_device(device).await
    }

    async fn insert_devices(&self, devices: &[NewDevice]) -> StoreResult<()> {
        self.legacy().insert_devices(devices).await
    }

    async fn list_devices(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
    ) -> StoreResult<Page<DeviceRecord>> {
        self.legacy()
            .list_devices(organization_id, filter, page)
            .await
    }

    async fn device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<DeviceRecord> {
        self.legacy().device(organization_id, id).await
    }

    async fn update_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        change: &DeviceChange,
        updated_at: OffsetDateTime,
    ) -> StoreResult<DeviceRecord> {
        self.legacy()
            .update_device(organization_id, id, change, updated_at)
            .await
    }

    async fn delete_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<()> {
        self.legacy().delete_device(organization_id, id).await
    }

    async fn device_by_token(&self, digest: &Digest) -> StoreResult<Option<TokenOwner>> {
        self.legacy().device_by_token(digest).await
    }

    async fn record_checkin(
        &self,
        organization_id: OrganizationId,
        checkin: &CheckIn,
    ) -> StoreResult<()> {
        self.legacy().record_checkin(organization_id, checkin).await
    }

    async fn sweep_offline(&self, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>> {
        self.legacy().sweep_offline(now).await
    }

    async fn list_tags(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<TagId>,
    ) -> StoreResult<Page<TagRecord>> {
        self.legacy().list_tags(organization_id, page).await
    }

    async fn tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<TagRecord> {
        self.legacy().tag(organization_id, id).await
    }

    async fn insert_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        self.legacy()
            .insert_tag(organization_id, id, name, now)
            .await
    }

    async fn rename_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        self.legacy()
            .rename_tag(organization_id, id, name, now)
            .await
    }

    async fn delete_tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<()> {
        self.legacy().delete_tag(organization_id, id).await
    }

    async fn tag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord> {
        self.legacy()
            .tag_devices(organization_id, id, devices, now)
            .await
    }

    async fn untag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
    ) -> StoreResult<TagRecord> {
        self.legacy()
            .untag_devices(organization_id, id, devices)
            .await
    }

    async fn list_custom_fields(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<CustomFieldId>,
    ) -> StoreResult<Page<CustomFieldRecord>> {
        self.legacy()
            .list_custom_fields(organization_id, page)
            .await
    }

    async fn all_custom_fields(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<CustomFieldRecord>> {
        self.legacy().all_custom_fields(organization_id).await
    }

    async fn custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<CustomFieldRecord> {
        self.legacy().custom_field(organization_id, id).await
    }

    async fn insert_custom_field(
        &self,
        organization_id: OrganizationId,
        field: &CustomFieldRecord,
        now: OffsetDateTime,
    ) -> StoreResult<CustomFieldRecord> {
        self.legacy()
            .insert_custom_field(organization_id, field, now)
            .await
    }

    async fn update_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
    ) -> StoreResult<CustomFieldRecord> {
        self.legacy()
            .update_custom_field(organization_id, id, name, admin_only, now)
            .await
    }

    async fn delete_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<()> {
        self.legacy().delete_custom_field(organization_id, id).await
    }

    async fn custom_field_values(
        &self,
        organization_id: OrganizationId,
        assignees: &[Assignee],
        field: Option<CustomFieldId>,
    ) -> StoreResult<Vec<StoredValue>> {
        self.legacy()
            .custom_field_values(organization_id, assignees, field)
            .await
    }

    async fn set_custom_field_value(
        &self,
        organization_id: OrganizationId,
        value: &StoredValue,
        force: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        self.legacy()
            .set_custom_field_value(organization_id, value, force, now)
            .await
    }

    async fn delete_custom_field_value(
        &self,
        organization_id: OrganizationId,
        field: CustomFieldId,
        assignee: Assignee,
        force: bool,
    ) -> StoreResult<bool> {
        self.legacy()
            .delete_custom_field_value(organization_id, field, assignee, force)
            .await
    }

    async fn insert_alert(&self, alert: &NewAlert) -> StoreResult<AlertRecord> {
        self.legacy().insert_alert(alert).await
    }

    async fn list_alerts(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        status: Option<AlertStatus>,
        page: &PageRequest<AlertId>,
    ) -> StoreResult<Page<AlertRecord>> {
        self.legacy()
            .list_alerts(organization_id, device, status, page)
            .await
    }

    async fn alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
    ) -> StoreResult<AlertRecord> {
        self.legacy().alert(organization_id, id).await
    }

    async fn resolve_alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
        now: OffsetDateTime,
    ) -> StoreResult<AlertRecord> {
        self.legacy().resolve_alert(organization_id, id, now).await
    }

    async fn list_updates(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        available: Option<bool>,
        page: &PageRequest<UpdateId>,
    ) -> StoreResult<Page<UpdateRecord>> {
        self.legacy()
            .list_updates(organization_id, device, available, page)
            .await
    }

    async fn update(
        &self,
        organization_id: OrganizationId,
        id: UpdateId,
    ) -> StoreResult<UpdateRecord> {
        self.legacy().update(organization_id, id).await
    }
}

#[async_trait]
impl Transfer for SqlStore {
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>> {
        self.legacy_transfer()
            .export_rows(table, after, limit)
            .await
    }

    async fn count_rows(&self, table: &Table) -> StoreResult<u64> {
        self.legacy_transfer().count_rows(table).await
    }

    async fn begin_import(&self) -> StoreResult<Box<dyn Import>> {
        self.legacy_transfer().begin_import().await
    }
}
