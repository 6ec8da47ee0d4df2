//! Custom fields: their definitions, names unique per organization. Their values are in
//! `values`.

use async_trait::async_trait;
use plumb_core::id::{CustomFieldId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::CustomFieldStore;
use plumb_core::store::{Activity, CustomFieldRecord, StoreResult};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::db::{Db, Exec, FromRow, Params, Row, args};

/// Selects a [`CustomFieldRecord`]; callers append a `where` on `f` (custom_fields).
const CUSTOM_FIELD_SELECT: &str = "select f.id, f.name, f.admin_only from custom_fields f ";

impl FromRow for CustomFieldRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(CustomFieldRecord {
            id: columns.next()?,
            name: columns.next()?,
            admin_only: columns.next()?,
        })
    }
}

#[async_trait]
impl CustomFieldStore for SqlStore {
    async fn list_custom_fields(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<CustomFieldId>,
    ) -> StoreResult<Page<CustomFieldRecord>> {
        list_fields(&self.db, organization_id, Some(page)).await
    }

    async fn all_custom_fields(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<CustomFieldRecord>> {
        Ok(list_fields(&self.db, organization_id, None).await?.items)
    }

    async fn custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<CustomFieldRecord> {
        fetch_field(&self.db, organization_id, id).await
    }

    async fn insert_custom_field(
        &self,
        organization_id: OrganizationId,
        field: &CustomFieldRecord,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<CustomFieldRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into custom_fields (id, organization_id, name, admin_only, created_at, \
             updated_at) values (?1, ?2, ?3, ?4, ?5, ?5)",
                args![
                    field.id,
                    organization_id,
                    &field.name,
                    field.admin_only,
                    now
                ],
            )
            .await?;
            crate::activity::insert_entry(&tx, activity).await?;
            fetch_field(&tx, organization_id, field.id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn update_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<CustomFieldRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "update custom_fields set name = coalesce(?3, name), \
                 admin_only = coalesce(?4, admin_only), updated_at = ?5 \
                 where organization_id = ?1 and id = ?2",
                args![organization_id, id, name, admin_only, now],
            )
            .await?;
            if name.is_some() {
                // Groups show their own values by field name.
                tx.groups_changed().await?;
            }
            crate::activity::insert_entry(&tx, activity).await?;
            fetch_field(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "delete from custom_fields where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            crate::activity::insert_entry(&tx, activity).await?;
            // Its values go with it, groups' own values included.
            tx.groups_changed().await
        }
        .await;
        tx.finish(outcome).await
    }
}

/// One field of an organization.
pub(super) async fn fetch_field(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: CustomFieldId,
) -> StoreResult<CustomFieldRecord> {
    exec.one(
        &format!("{CUSTOM_FIELD_SELECT}where f.organization_id = ?1 and f.id = ?2"),
        args![organization_id, id],
    )
    .await
}

/// A keyset page of fields, or every field with `page` `None`.
pub(super) async fn list_fields(
    db: &Db,
    organization_id: OrganizationId,
    page: Option<&PageRequest<CustomFieldId>>,
) -> StoreResult<Page<CustomFieldRecord>> {
    let mut params = Params::default();
    let organization = params.push(organization_id);
    let (cursor_sql, order) = match page.map(|page| page.cursor) {
        None | Some(Cursor::First) => (String::new(), "asc"),
        Some(Cursor::After(id)) => (format!(" and f.id > {}", params.push(id)), "asc"),
        Some(Cursor::Before(id)) => (format!(" and f.id < {}", params.push(id)), "desc"),
    };
    let limit_sql = match page {
        Some(page) => format!(" limit {}", params.push(i64::from(page.limit) + 1)),
        None => String::new(),
    };
    let sql = format!(
        "{CUSTOM_FIELD_SELECT}where f.organization_id = {organization}{cursor_sql} \
         order by f.id {order}{limit_sql}"
    );
    let fields = db.rows(&sql, params.as_slice()).await?;
    Ok(match page {
        Some(page) => Page::from_probe(fields, page),
        None => Page {
            items: fields,
            has_more: false,
        },
    })
}
