//! Install keys: inserted with their activity entry, listed while live, revoked for good.
//!
//! A revoked key keeps its row, so its digest is never issued again, but no read here returns
//! it.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{InstallKeyId, OrganizationId};
use plumb_core::store::{Activity, InstallKeyRecord, NewInstallKey, StoreResult};

use crate::PgStore;
use crate::activity::insert_activity;
use crate::error::{db_error, rollback};
use crate::rows::{INSTALL_KEY_SELECT, InstallKeyRow};

/// Inserts a key; a group outside the organization breaks the composite foreign key.
pub(super) async fn insert(
    store: &PgStore,
    key: &NewInstallKey,
    activity: &Activity,
) -> StoreResult<InstallKeyRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "insert into install_keys (id, organization_id, group_id, key_digest, key_hint, \
         created_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.id.to_string())
    .bind(key.organization_id.to_string())
    .bind(key.group_id.map(|id| id.to_string()))
    .bind(&key.digest.0[..])
    .bind(&key.hint)
    .bind(key.created_at)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    insert_activity(&mut tx, activity).await?;
    let stored = sqlx::query_as::<_, InstallKeyRow>(&format!("{INSTALL_KEY_SELECT}where id = $1"))
        .bind(key.id.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?
        .try_into()?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Live keys of an organization, newest first.
pub(super) async fn list(
    store: &PgStore,
    organization_id: OrganizationId,
) -> StoreResult<Vec<InstallKeyRecord>> {
    sqlx::query_as::<_, InstallKeyRow>(&format!(
        "{INSTALL_KEY_SELECT}where organization_id = $1 and revoked_at is null \
         order by created_at desc, id desc"
    ))
    .bind(organization_id.to_string())
    .fetch_all(&store.pool)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(InstallKeyRecord::try_from)
    .collect()
}

/// Revokes a live key at the activity entry's time.
pub(super) async fn revoke(
    store: &PgStore,
    organization_id: OrganizationId,
    id: InstallKeyId,
    activity: &Activity,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    let revoked = sqlx::query(
        "update install_keys set revoked_at = $3 \
         where organization_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(activity.created_at)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if revoked.rows_affected() == 0 {
        return rollback(tx, StoreError::NotFound).await;
    }
    insert_activity(&mut tx, activity).await?;
    tx.commit().await.map_err(db_error)
}

/// A live key by digest, in any organization.
pub(super) async fn by_digest(
    store: &PgStore,
    digest: &Digest,
) -> StoreResult<Option<InstallKeyRecord>> {
    sqlx::query_as::<_, InstallKeyRow>(&format!(
        "{INSTALL_KEY_SELECT}where key_digest = $1 and revoked_at is null"
    ))
    .bind(&digest.0[..])
    .fetch_optional(&store.pool)
    .await
    .map_err(db_error)?
    .map(InstallKeyRecord::try_from)
    .transpose()
}
