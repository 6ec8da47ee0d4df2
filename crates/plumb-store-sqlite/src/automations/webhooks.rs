//! Webhook triggers: inserted and deleted with their activity entries, listed in keyset
//! pages, and found by the digest of their URL token.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{AutomationId, OrganizationId, WebhookId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{Activity, NewWebhook, StoreResult, WebhookRecord};

use crate::SqliteStore;
use crate::activity::insert_activity;
use crate::codec::time_text;
use crate::error::db_error;
use crate::rows::{WEBHOOK_SELECT, WebhookRow};

/// Inserts a trigger; an automation missing from the organization breaks the composite
/// foreign key and reads as `NotFound`.
pub(super) async fn insert(
    store: &SqliteStore,
    webhook: &NewWebhook,
    activity: &Activity,
) -> StoreResult<WebhookRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "insert into automation_webhooks (id, organization_id, automation_id, token_digest, \
         token_sealed, authorization_digest, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(webhook.id.to_string())
    .bind(webhook.organization_id.to_string())
    .bind(webhook.automation_id.to_string())
    .bind(&webhook.token_digest.0[..])
    .bind(&webhook.sealed_token[..])
    .bind(
        webhook
            .authorization_digest
            .as_ref()
            .map(|digest| &digest.0[..]),
    )
    .bind(time_text(webhook.created_at))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    insert_activity(&mut tx, activity).await?;
    let stored = sqlx::query_as::<_, WebhookRow>(&format!("{WEBHOOK_SELECT}where w.id = ?1"))
        .bind(webhook.id.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?
        .try_into()?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// A keyset page of the organization's triggers, optionally of one automation.
pub(super) async fn page(
    store: &SqliteStore,
    organization_id: OrganizationId,
    automation: Option<AutomationId>,
    page: &PageRequest<WebhookId>,
) -> StoreResult<Page<WebhookRecord>> {
    // Parameters are numbered without gaps in the order they are bound.
    let (cursor_sql, cursor_id, order) = match page.cursor {
        Cursor::First => ("", None, "asc"),
        Cursor::After(id) => (" and w.id > ?3", Some(id), "asc"),
        Cursor::Before(id) => (" and w.id < ?3", Some(id), "desc"),
    };
    let automation_number = if cursor_id.is_some() { 4 } else { 3 };
    let automation_sql = match automation {
        Some(_) => format!(" and w.automation_id = ?{automation_number}"),
        None => String::new(),
    };
    let sql = format!(
        "{WEBHOOK_SELECT}where w.organization_id = ?1{cursor_sql}{automation_sql} \
         order by w.id {order} limit ?2"
    );
    let mut query = sqlx::query_as::<_, WebhookRow>(&sql)
        .bind(organization_id.to_string())
        .bind(i64::from(page.limit) + 1);
    if let Some(id) = cursor_id {
        query = query.bind(id.to_string());
    }
    if let Some(id) = automation {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&store.pool).await.map_err(db_error)?;
    let webhooks = rows
        .into_iter()
        .map(WebhookRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page::from_probe(webhooks, page))
}

/// Deletes a trigger of the organization.
pub(super) async fn delete(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: WebhookId,
    activity: &Activity,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    let deleted =
        sqlx::query("delete from automation_webhooks where organization_id = ?1 and id = ?2")
            .bind(organization_id.to_string())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    insert_activity(&mut tx, activity).await?;
    tx.commit().await.map_err(db_error)
}

/// A trigger by the digest of its token, in any organization.
pub(super) async fn by_token(
    store: &SqliteStore,
    digest: &Digest,
) -> StoreResult<Option<WebhookRecord>> {
    sqlx::query_as::<_, WebhookRow>(&format!("{WEBHOOK_SELECT}where w.token_digest = ?1"))
        .bind(&digest.0[..])
        .fetch_optional(&store.pool)
        .await
        .map_err(db_error)?
        .map(WebhookRecord::try_from)
        .transpose()
}
