//! `KeyPolicyStore`: a regenerated key's grace period, the organization's default rate limit
//! and the request log of API keys.
//!
//! Every change that can make a node's cached verification wrong announces each digest it
//! affects in its own transaction (`Tx::key_changed`): the key's value and, during a grace
//! period, its previous value.

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::{ApiKeyId, OrganizationId};
use plumb_core::store::{
    Activity, ApiKeyRecord, BatchQuery, KeyPolicyStore, KeySecret, RequestBatch, StoreResult,
};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::codec::parse_count;
use crate::db::{Db, Exec, FromRow, Params, Row, args};
use crate::keys::fetch_api_key;

const BATCH_COLUMNS: &str =
    "id, organization_id, api_key_id, first_at, last_at, requests, statuses, entries";

impl FromRow for RequestBatch {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        let damaged = |what| move |_| crate::codec::damaged(what);
        Ok(RequestBatch {
            id: columns.next()?,
            organization_id: columns.next()?,
            api_key_id: columns.next()?,
            first_at: columns.next()?,
            last_at: columns.next()?,
            requests: u32::try_from(columns.next::<i64>()?).map_err(damaged("requests"))?,
            statuses: u8::try_from(columns.next::<i64>()?).map_err(damaged("statuses"))?,
            entries: columns.next()?,
        })
    }
}

/// Replaces a key's value, keeping the old one as the previous value until
/// `previous_valid_until` (no grace period with `None`).
pub(crate) async fn replace_secret(
    db: &Db,
    (organization_id, id): (OrganizationId, ApiKeyId),
    secret: &KeySecret,
    previous_valid_until: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
    activity: &Activity,
) -> StoreResult<ApiKeyRecord> {
    let tx = db.begin().await?;
    let outcome = async {
        // The row lock keeps a racing change from slipping a digest past the announcement.
        let (old, old_previous) = lock_digests(&tx, organization_id, id).await?;
        let kept = previous_valid_until.map(|_| old.0.as_slice());
        tx.execute(
            "update api_keys set key_digest = ?3, key_hint = ?4, key_sealed = ?5, \
             updated_at = ?6, previous_digest = ?7, previous_valid_until = ?8 \
             where organization_id = ?1 and id = ?2",
            args![
                organization_id,
                id,
                &secret.digest,
                &secret.hint,
                secret.sealed.as_deref(),
                updated_at,
                kept,
                previous_valid_until,
            ],
        )
        .await?;
        tx.key_changed(&old).await?;
        if let Some(previous) = old_previous {
            tx.key_changed(&previous).await?;
        }
        insert_activity(&tx, activity).await?;
        fetch_api_key(&tx, organization_id, id).await
    }
    .await;
    tx.finish(outcome).await
}

/// Locks a live key's row and returns its digest and previous digest.
async fn lock_digests(
    tx: &impl Exec,
    organization_id: OrganizationId,
    id: ApiKeyId,
) -> StoreResult<(Digest, Option<Digest>)> {
    let sql = format!(
        "select key_digest, previous_digest from api_keys \
         where organization_id = ?1 and id = ?2 and deleted_at is null{}",
        tx.dialect().for_update()
    );
    tx.one(&sql, args![organization_id, id]).await
}

#[async_trait]
impl KeyPolicyStore for SqlStore {
    async fn replace_api_key_secret_with_grace(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        secret: &KeySecret,
        previous_valid_until: Option<OffsetDateTime>,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let key = (organization_id, id);
        replace_secret(&self.db, key, secret, previous_valid_until, now, activity).await
    }

    async fn end_api_key_grace(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            let (_, previous) = lock_digests(&tx, organization_id, id).await?;
            tx.execute(
                "update api_keys set previous_digest = null, previous_valid_until = null, \
                 updated_at = ?3 where organization_id = ?1 and id = ?2",
                args![organization_id, id, now],
            )
            .await?;
            if let Some(previous) = previous {
                tx.key_changed(&previous).await?;
            }
            insert_activity(&tx, activity).await?;
            fetch_api_key(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn api_key_rate_limit_default(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Option<u32>> {
        let limit: Option<i64> = self
            .db
            .one(
                "select api_key_rate_limit_per_minute from organizations where id = ?1",
                args![organization_id],
            )
            .await?;
        crate::keys::limit_of(limit)
    }

    async fn set_api_key_rate_limit_default(
        &self,
        organization_id: OrganizationId,
        limit: Option<u32>,
        activity: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            let changed = tx
                .execute(
                    "update organizations set api_key_rate_limit_per_minute = ?2 where id = ?1",
                    args![organization_id, limit.map(i64::from)],
                )
                .await?;
            if changed == 0 {
                return Err(plumb_core::StoreError::NotFound);
            }
            // Every live key (and value in a grace period) caches the default.
            let digests: Vec<(Digest, Option<Digest>)> = tx
                .rows(
                    "select key_digest, previous_digest from api_keys \
                     where organization_id = ?1 and deleted_at is null",
                    args![organization_id],
                )
                .await?;
            for (digest, previous) in digests {
                tx.key_changed(&digest).await?;
                if let Some(previous) = previous {
                    tx.key_changed(&previous).await?;
                }
            }
            insert_activity(&tx, activity).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn insert_api_key_requests(&self, batches: &[RequestBatch]) -> StoreResult<()> {
        if batches.is_empty() {
            return Ok(());
        }
        let tx = self.db.begin().await?;
        let outcome = async {
            for chunk in plumb_core::request_log::statements_of(batches) {
                let mut params = Params::default();
                let rows: Vec<String> = chunk
                    .iter()
                    .map(|batch| {
                        let values = [
                            params.push(batch.id),
                            params.push(batch.organization_id),
                            params.push(batch.api_key_id),
                            params.push(batch.first_at),
                            params.push(batch.last_at),
                            params.push(i64::from(batch.requests)),
                            params.push(i64::from(batch.statuses)),
                            params.push(batch.entries.as_str()),
                        ];
                        format!("({})", values.join(", "))
                    })
                    .collect();
                let sql = format!(
                    "insert into api_key_requests ({BATCH_COLUMNS}) values {}",
                    rows.join(", ")
                );
                tx.execute(&sql, params.as_slice()).await?;
            }
            Ok(())
        }
        .await;
        tx.finish(outcome).await
    }

    async fn list_api_key_requests(
        &self,
        organization_id: OrganizationId,
        api_key_id: ApiKeyId,
        query: &BatchQuery,
    ) -> StoreResult<Vec<RequestBatch>> {
        // Without a bound, compare against a text that sorts after every id.
        let through = query
            .through
            .map_or_else(|| "~".to_owned(), |id| id.to_string());
        self.db
            .rows(
                &format!(
                    "select {BATCH_COLUMNS} from api_key_requests \
                     where api_key_id = ?1 and organization_id = ?2 and id <= ?3 \
                     and (statuses & ?4) <> 0 order by id desc limit ?5"
                ),
                args![
                    api_key_id,
                    organization_id,
                    through,
                    i64::from(query.statuses),
                    i64::from(query.limit),
                ],
            )
            .await
    }

    async fn count_api_key_requests(
        &self,
        organization_id: OrganizationId,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<(ApiKeyId, u64)>> {
        // One index range per key: (api_key_id, last_at, requests).
        let counts: Vec<(ApiKeyId, i64)> = self
            .db
            .rows(
                "select k.id, (select cast(coalesce(sum(r.requests), 0) as bigint) from api_key_requests r \
                   where r.api_key_id = k.id and r.last_at >= ?2) \
                 from api_keys k where k.organization_id = ?1 and k.deleted_at is null",
                args![organization_id, since],
            )
            .await?;
        counts
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(id, count)| Ok((id, parse_count(count)?)))
            .collect()
    }

    async fn prune_api_key_requests(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let tx = self.db.begin().await?;
        let outcome = async {
            let requests: i64 = tx
                .one(
                    "select cast(coalesce(sum(requests), 0) as bigint) from api_key_requests \
                     where last_at < ?1",
                    args![before],
                )
                .await?;
            tx.execute(
                "delete from api_key_requests where last_at < ?1",
                args![before],
            )
            .await?;
            parse_count(requests)
        }
        .await;
        tx.finish(outcome).await
    }
}
