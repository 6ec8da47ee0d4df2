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
    Activity, ApiKeyRecord, KeyPolicyStore, KeyRequest, KeySecret, RequestQuery, StoreResult,
};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::codec::{count_value, parse_count};
use crate::db::{Db, Exec, FromRow, Params, Row, args};
use crate::keys::fetch_api_key;

const REQUEST_COLUMNS: &str = "id, organization_id, api_key_id, at, method, route, path, status, \
                               duration_us, client_ip, user_agent";

impl FromRow for KeyRequest {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(KeyRequest {
            id: columns.next()?,
            organization_id: columns.next()?,
            api_key_id: columns.next()?,
            at: columns.next()?,
            method: columns.next()?,
            route: columns.next()?,
            path: columns.next()?,
            status: u16::try_from(columns.next::<i64>()?)
                .map_err(|_| crate::codec::damaged("status"))?,
            duration_us: parse_count(columns.next()?)?,
            client_ip: columns.next()?,
            user_agent: columns.next()?,
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

    async fn insert_api_key_requests(&self, requests: &[KeyRequest]) -> StoreResult<()> {
        if requests.is_empty() {
            return Ok(());
        }
        let tx = self.db.begin().await?;
        let outcome = async {
            for chunk in plumb_core::request_log::statements_of(requests) {
                let mut params = Params::default();
                let rows: Vec<String> = chunk
                    .iter()
                    .map(|request| {
                        let values = [
                            params.push(request.id),
                            params.push(request.organization_id),
                            params.push(request.api_key_id),
                            params.push(request.at),
                            params.push(request.method.as_str()),
                            params.push(request.route.as_str()),
                            params.push(request.path.as_str()),
                            params.push(i64::from(request.status)),
                            params.push(count_value(request.duration_us)),
                            params.push(request.client_ip.as_deref()),
                            params.push(request.user_agent.as_deref()),
                        ];
                        format!("({})", values.join(", "))
                    })
                    .collect();
                let sql = format!(
                    "insert into api_key_requests ({REQUEST_COLUMNS}) values {}",
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
        query: &RequestQuery,
    ) -> StoreResult<Vec<KeyRequest>> {
        // Without a cursor, compare against a text that sorts after every id.
        let before = query
            .before
            .map_or_else(|| "~".to_owned(), |id| id.to_string());
        self.db
            .rows(
                &format!(
                    "select {REQUEST_COLUMNS} from api_key_requests \
                     where api_key_id = ?1 and organization_id = ?2 and id < ?3 \
                     and status >= ?4 and status <= ?5 order by id desc limit ?6"
                ),
                args![
                    api_key_id,
                    organization_id,
                    before,
                    i64::from(query.status_from),
                    i64::from(query.status_to),
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
        // One index range per key: (api_key_id, at).
        let counts: Vec<(ApiKeyId, i64)> = self
            .db
            .rows(
                "select k.id, (select count(*) from api_key_requests r \
                   where r.api_key_id = k.id and r.at >= ?2) \
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
        self.db
            .execute("delete from api_key_requests where at < ?1", args![before])
            .await
    }
}
