//! `KeyStore` for SQLite: API keys, their write-behind usage, and the activity log.
//!
//! A deleted key keeps its row (so its digest is never issued again) but is invisible: every
//! read and write here filters on `deleted_at is null`, and deletion erases the sealed copy.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, ApiKeyId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, ApiKeyChange, ApiKeyRecord, KeySecret, KeyStore, KeyUsageDelta};
use plumb_core::store::{NewApiKey, Reseal, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::activity::{insert_activity, list_activity, list_changes};
use crate::codec::{access_text, count_value, escape_like, time_text};
use crate::error::db_error;
use crate::rows::{ApiKeyRow, api_key_select};

#[async_trait]
impl KeyStore for SqliteStore {
    async fn insert_api_key(
        &self,
        key: &NewApiKey,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let mut tx = self.write().await?;
        // The composite foreign key puts the creator in the key's organization.
        sqlx::query(
            "insert into api_keys (id, organization_id, description, access, key_digest, \
             key_hint, key_sealed, created_by, created_at, updated_at) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )
        .bind(key.id.to_string())
        .bind(key.organization_id.to_string())
        .bind(&key.description)
        .bind(access_text(key.access))
        .bind(&key.secret.digest.0[..])
        .bind(&key.secret.hint)
        .bind(key.secret.sealed.as_deref())
        .bind(key.created_by.to_string())
        .bind(time_text(key.created_at))
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
            "where k.key_digest = ?1 and k.deleted_at is null"
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
        // SQLite's `like` folds case for ASCII letters only: "Backup" finds "BACKUP", but "é"
        // does not find "É". Non-ASCII text still matches when its case matches. A null
        // pattern matches everything.
        let pattern = search.map(|search| format!("%{}%", escape_like(search)));
        sqlx::query_as::<_, ApiKeyRow>(concat!(
            api_key_select!(),
            "where k.organization_id = ?1 and k.deleted_at is null \
             and (?2 is null or k.description like ?2 escape '\\') \
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
        let updated = sqlx::query(
            "update api_keys set description = coalesce(?3, description), \
             access = coalesce(?4, access), updated_at = ?5 \
             where organization_id = ?1 and id = ?2 and deleted_at is null",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(change.description.as_deref())
        .bind(change.access.map(access_text))
        .bind(time_text(updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
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
        // The old digest is overwritten, so the old value stops working with this commit.
        let updated = sqlx::query(
            "update api_keys set key_digest = ?3, key_hint = ?4, key_sealed = ?5, updated_at = ?6 \
             where organization_id = ?1 and id = ?2 and deleted_at is null",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(&secret.digest.0[..])
        .bind(&secret.hint)
        .bind(secret.sealed.as_deref())
        .bind(time_text(updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
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
        let before = fetch_api_key(&mut tx, organization_id, id).await?;
        sqlx::query(
            "update api_keys set deleted_at = ?2, key_sealed = null, updated_at = ?2 where id = ?1",
        )
        .bind(id.to_string())
        .bind(time_text(deleted_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
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
        let mut tx = self.write().await?;
        for delta in usage {
            // Every right-hand side sees the row as it was, so the address and user agent are
            // taken exactly when the delta's time is at least the stored one. Times are
            // fixed-width text, so text comparison is time comparison. Deleted or unknown keys
            // match no row and are skipped.
            sqlx::query(
                "update api_keys set \
                 last_used_ip = case when last_used_at is null or ?2 >= last_used_at \
                   then ?3 else last_used_ip end, \
                 last_used_user_agent = case when last_used_at is null or ?2 >= last_used_at \
                   then ?4 else last_used_user_agent end, \
                 last_used_at = case when last_used_at is null or ?2 >= last_used_at \
                   then ?2 else last_used_at end, \
                 success_count = success_count + ?5, failure_count = failure_count + ?6 \
                 where id = ?1 and deleted_at is null",
            )
            .bind(delta.id.to_string())
            .bind(time_text(delta.last_used_at))
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
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: ApiKeyId,
) -> StoreResult<ApiKeyRecord> {
    sqlx::query_as::<_, ApiKeyRow>(concat!(
        api_key_select!(),
        "where k.organization_id = ?1 and k.id = ?2 and k.deleted_at is null"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}
