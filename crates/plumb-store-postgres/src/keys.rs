//! `KeyStore` for PostgreSQL: API keys, their write-behind usage, and the activity log.
//!
//! A deleted key keeps its row (so its digest is never issued again) but is invisible: every
//! read and write here filters on `deleted_at is null`, and deletion erases the sealed copy.
//! Every change that can make another node's cached verification wrong (edit, regenerate,
//! delete) announces the affected digest with `pg_notify` in its own transaction, so the
//! announcement is delivered exactly when the change commits (see `notify`).

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, ApiKeyId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, ApiKeyChange, ApiKeyRecord, KeySecret, KeyStore, KeyUsageDelta};
use plumb_core::store::{NewApiKey, Reseal, StoreResult};
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::PgStore;
use crate::activity::{insert_activity, list_activity, list_changes};
use crate::announce::announce_key;
use crate::codec::{access_text, count_value, escape_like, parse_digest};
use crate::error::{db_error, rollback};
use crate::rows::{ApiKeyRow, api_key_select};

#[async_trait]
impl KeyStore for PgStore {
    async fn insert_api_key(
        &self,
        key: &NewApiKey,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        // A new digest is cached nowhere yet (misses are never cached), so nothing to announce.
        let mut tx = self.write().await?;
        // The composite foreign key puts the creator in the key's organization.
        sqlx::query(
            "insert into api_keys (id, organization_id, description, access, key_digest, \
             key_hint, key_sealed, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(key.id.to_string())
        .bind(key.organization_id.to_string())
        .bind(&key.description)
        .bind(access_text(key.access))
        .bind(&key.secret.digest.0[..])
        .bind(&key.secret.hint)
        .bind(key.secret.sealed.as_deref())
        .bind(key.created_by.to_string())
        .bind(key.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        insert_activity(&mut tx, activity).await?;
        let stored = fetch_api_key(&mut tx, key.organization_id, key.id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
    ) -> StoreResult<ApiKeyRecord> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        fetch_api_key(&mut conn, organization_id, id).await
    }

    async fn api_key_by_digest(&self, digest: &Digest) -> StoreResult<Option<ApiKeyRecord>> {
        sqlx::query_as::<_, ApiKeyRow>(concat!(
            api_key_select!(),
            "where k.key_digest = $1 and k.deleted_at is null"
        ))
        .bind(&digest.0[..])
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?
        .map(ApiKeyRecord::try_from)
        .transpose()
    }

    async fn list_api_keys(
        &self,
        organization_id: OrganizationId,
        search: Option<&str>,
    ) -> StoreResult<Vec<ApiKeyRecord>> {
        // `ilike` folds case by the database's locale, a superset of SQLite's ASCII folding
        // (the contract promises ASCII only). A null pattern matches everything.
        let pattern = search.map(|search| format!("%{}%", escape_like(search)));
        sqlx::query_as::<_, ApiKeyRow>(concat!(
            api_key_select!(),
            "where k.organization_id = $1 and k.deleted_at is null \
             and ($2::text is null or k.description ilike $2 escape '\\') \
             order by k.created_at desc, k.id desc"
        ))
        .bind(organization_id.to_string())
        .bind(pattern)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(ApiKeyRecord::try_from)
        .collect()
    }

    async fn update_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        change: &ApiKeyChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let mut tx = self.write().await?;
        // A null parameter keeps the column as it is.
        let digest: Option<Vec<u8>> = sqlx::query_scalar(
            "update api_keys set description = coalesce($3, description), \
             access = coalesce($4, access), updated_at = $5 \
             where organization_id = $1 and id = $2 and deleted_at is null returning key_digest",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(change.description.as_deref())
        .bind(change.access.map(access_text))
        .bind(updated_at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(digest) = digest else {
            return rollback(tx, StoreError::NotFound).await;
        };
        // Other nodes may have cached the old access level under this digest.
        announce_key(&mut tx, &self.channel, &parse_digest(&digest)?).await?;
        insert_activity(&mut tx, activity).await?;
        let stored = fetch_api_key(&mut tx, organization_id, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn replace_api_key_secret(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        secret: &KeySecret,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let mut tx = self.write().await?;
        // The old digest is overwritten, so the old value stops working with this commit; the
        // `old` CTE locks the row and keeps the digest to announce.
        let old_digest: Option<Vec<u8>> = sqlx::query_scalar(
            "with old as ( \
               select id, key_digest from api_keys \
               where organization_id = $1 and id = $2 and deleted_at is null for update \
             ) \
             update api_keys k set key_digest = $3, key_hint = $4, key_sealed = $5, \
               updated_at = $6 \
             from old where k.id = old.id returning old.key_digest",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(&secret.digest.0[..])
        .bind(&secret.hint)
        .bind(secret.sealed.as_deref())
        .bind(updated_at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(old_digest) = old_digest else {
            return rollback(tx, StoreError::NotFound).await;
        };
        announce_key(&mut tx, &self.channel, &parse_digest(&old_digest)?).await?;
        insert_activity(&mut tx, activity).await?;
        let stored = fetch_api_key(&mut tx, organization_id, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn delete_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        deleted_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let mut tx = self.write().await?;
        // Locks the row, so a racing regenerate cannot slip a new digest past the announcement.
        sqlx::query("select 1 from api_keys where organization_id = $1 and id = $2 for update")
            .bind(organization_id.to_string())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let before = fetch_api_key(&mut tx, organization_id, id).await?;
        sqlx::query(
            "update api_keys set deleted_at = $2, key_sealed = null, updated_at = $2 where id = $1",
        )
        .bind(id.to_string())
        .bind(deleted_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        announce_key(&mut tx, &self.channel, &before.digest).await?;
        insert_activity(&mut tx, activity).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(before)
    }

    async fn reseal_secrets(&self, reseal: &Reseal<'_>) -> StoreResult<u64> {
        crate::reseal::reseal_secrets(self, reseal).await
    }

    async fn record_api_key_usage(&self, usage: &[KeyUsageDelta]) -> StoreResult<()> {
        if usage.is_empty() {
            return Ok(());
        }
        // Every node flushes its own batch; taking the row locks in id order means two
        // concurrent batches queue instead of deadlocking. The sort is stable, so deltas of one
        // key keep their order.
        let mut ordered: Vec<&KeyUsageDelta> = usage.iter().collect();
        ordered.sort_by_key(|delta| delta.id);
        let mut tx = self.write().await?;
        for delta in ordered {
            // Every right-hand side sees the row as it was (re-read after any concurrent
            // update), so the address and user agent are taken exactly when the delta's time is
            // at least the stored one, and `greatest()` (which ignores a null) never moves the
            // time backwards, whichever node flushes last. Deleted or unknown keys match no row
            // and are skipped.
            sqlx::query(
                "update api_keys set \
                 last_used_ip = case when last_used_at is null or $2 >= last_used_at \
                   then $3 else last_used_ip end, \
                 last_used_user_agent = case when last_used_at is null or $2 >= last_used_at \
                   then $4 else last_used_user_agent end, \
                 last_used_at = greatest(last_used_at, $2), \
                 success_count = success_count + $5, failure_count = failure_count + $6 \
                 where id = $1 and deleted_at is null",
            )
            .bind(delta.id.to_string())
            .bind(delta.last_used_at)
            .bind(&delta.last_ip)
            .bind(&delta.last_user_agent)
            .bind(count_value(delta.successes))
            .bind(count_value(delta.failures))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }

    async fn insert_activity(&self, activity: &Activity) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        insert_activity(&mut conn, activity).await
    }

    async fn list_activity(
        &self,
        organization_id: OrganizationId,
        before: Option<ActivityId>,
        limit: u32,
    ) -> StoreResult<Vec<Activity>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        list_activity(&mut conn, organization_id, before, limit).await
    }

    async fn list_changes(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<ActivityId>,
    ) -> StoreResult<Page<Activity>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        list_changes(&mut conn, organization_id, page).await
    }
}

/// A live key of an organization.
async fn fetch_api_key(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    id: ApiKeyId,
) -> StoreResult<ApiKeyRecord> {
    sqlx::query_as::<_, ApiKeyRow>(concat!(
        api_key_select!(),
        "where k.organization_id = $1 and k.id = $2 and k.deleted_at is null"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}
