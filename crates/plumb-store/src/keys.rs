//! `KeyStore`: API keys, their write-behind usage, and the activity log.
//!
//! A deleted key keeps its row (so its digest is never issued again) but is invisible: every
//! read and write here filters on `deleted_at is null`, and deletion erases the sealed copy.
//! Every change that can make another node's cached verification wrong (edit, regenerate,
//! delete) announces the affected digest in its own transaction (`Tx::key_changed`), so on
//! PostgreSQL the announcement is delivered exactly when the change commits.

use crate::codec::{access_text, count_value, escape_like, parse_access};
use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, ApiKeyId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, ApiKeyChange, ApiKeyRecord, KeySecret, KeyStore, KeyUsage};
use plumb_core::store::{KeyRules, KeyUsageDelta, NewApiKey, PreviousValue, Reseal};
use plumb_core::store::{StoreResult, UserRef};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::activity::{insert_activity, list_activity, list_changes};
use crate::db::{Exec, FromRow, Json, Row, args};

/// Selects an [`ApiKeyRecord`]; callers append a `where` on `k` (api_keys).
macro_rules! api_key_select {
    () => {
        "select k.id, k.organization_id, k.description, k.access, k.key_digest, k.key_hint, \
         k.key_sealed, k.created_by, u.email, k.created_at, k.updated_at, k.last_used_at, \
         k.success_count, k.failure_count, k.last_used_ip, k.last_used_user_agent, \
         k.expires_at, k.disabled, k.allowed_ips, k.rate_limit_per_minute, k.previous_digest, \
         k.previous_valid_until, o.api_key_rate_limit_per_minute \
         from api_keys k join users u on u.id = k.created_by \
         join organizations o on o.id = k.organization_id "
    };
}

impl FromRow for ApiKeyRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(ApiKeyRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            description: columns.next()?,
            access: parse_access(&columns.next::<String>()?)?,
            digest: columns.next()?,
            hint: columns.next()?,
            sealed: columns.next()?,
            created_by: UserRef {
                id: columns.next()?,
                email: columns.next()?,
            },
            created_at: columns.next()?,
            updated_at: columns.next()?,
            last_used_at: columns.next()?,
            usage: KeyUsage {
                success_count: columns.next()?,
                failure_count: columns.next()?,
                last_ip: columns.next()?,
                last_user_agent: columns.next()?,
            },
            rules: KeyRules {
                expires_at: columns.next()?,
                disabled: columns.next()?,
                allowed_ips: columns.next::<Json<Vec<String>>>()?.0,
                rate_limit_per_minute: limit_of(columns.next()?)?,
            },
            previous: {
                let digest: Option<Digest> = columns.next()?;
                let valid_until: Option<OffsetDateTime> = columns.next()?;
                digest
                    .zip(valid_until)
                    .map(|(digest, valid_until)| PreviousValue {
                        digest,
                        valid_until,
                    })
            },
            organization_rate_limit: limit_of(columns.next()?)?,
        })
    }
}

#[async_trait]
impl KeyStore for SqlStore {
    async fn insert_api_key(
        &self,
        key: &NewApiKey,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        // A new digest is cached nowhere yet (misses are never cached), so nothing to announce.
        let tx = self.db.begin().await?;
        let outcome = async {
            // The composite foreign key puts the creator in the key's organization.
            tx.execute(
                "insert into api_keys (id, organization_id, description, access, key_digest, \
                 key_hint, key_sealed, created_by, created_at, updated_at, expires_at, disabled, \
                 allowed_ips, rate_limit_per_minute) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)",
                args![
                    key.id,
                    key.organization_id,
                    &key.description,
                    access_text(key.access),
                    &key.secret.digest,
                    &key.secret.hint,
                    key.secret.sealed.as_deref(),
                    key.created_by,
                    key.created_at,
                    key.rules.expires_at,
                    key.rules.disabled,
                    ips_text(&key.rules.allowed_ips)?,
                    key.rules.rate_limit_per_minute.map(i64::from),
                ],
            )
            .await?;
            insert_activity(&tx, activity).await?;
            fetch_api_key(&tx, key.organization_id, key.id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
    ) -> StoreResult<ApiKeyRecord> {
        fetch_api_key(&self.db, organization_id, id).await
    }

    async fn api_key_by_digest(&self, digest: &Digest) -> StoreResult<Option<ApiKeyRecord>> {
        self.db
            .first(
                concat!(
                    api_key_select!(),
                    "where k.key_digest = ?1 and k.deleted_at is null \
                     union all ",
                    api_key_select!(),
                    "where k.previous_digest = ?1 and k.deleted_at is null"
                ),
                args![digest],
            )
            .await
    }

    async fn list_api_keys(
        &self,
        organization_id: OrganizationId,
        search: Option<&str>,
    ) -> StoreResult<Vec<ApiKeyRecord>> {
        // A null pattern matches everything.
        let pattern = search.map(|search| format!("%{}%", escape_like(search)));
        let sql = format!(
            "{} where k.organization_id = ?1 and k.deleted_at is null \
             and (?2 is null or k.description {} ?2 escape '\\') \
             order by k.created_at desc, k.id desc",
            api_key_select!(),
            self.db.dialect().ilike()
        );
        self.db.rows(&sql, args![organization_id, pattern]).await
    }

    async fn update_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        change: &ApiKeyChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // A null parameter keeps the column as it is; the nullable settings say with a
            // flag whether they change.
            let digests: Option<(Digest, Option<Digest>)> = tx
                .first(
                    "update api_keys set description = coalesce(?3, description), \
                     access = coalesce(?4, access), updated_at = ?5, \
                     expires_at = case when ?6 then ?7 else expires_at end, \
                     disabled = coalesce(?8, disabled), \
                     allowed_ips = coalesce(?9, allowed_ips), \
                     rate_limit_per_minute = case when ?10 then ?11 else rate_limit_per_minute end \
                     where organization_id = ?1 and id = ?2 and deleted_at is null \
                     returning key_digest, previous_digest",
                    args![
                        organization_id,
                        id,
                        change.description.as_deref(),
                        change.access.map(access_text),
                        updated_at,
                        change.expires_at.is_some(),
                        change.expires_at.flatten(),
                        change.disabled,
                        change.allowed_ips.as_deref().map(ips_text).transpose()?,
                        change.rate_limit_per_minute.is_some(),
                        change.rate_limit_per_minute.flatten().map(i64::from),
                    ],
                )
                .await?;
            let (digest, previous) = digests.ok_or(StoreError::NotFound)?;
            // Other nodes may have cached the old settings under either value.
            tx.key_changed(&digest).await?;
            if let Some(previous) = previous {
                tx.key_changed(&previous).await?;
            }
            insert_activity(&tx, activity).await?;
            fetch_api_key(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn replace_api_key_secret(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        secret: &KeySecret,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        crate::key_policies::replace_secret(
            &self.db,
            (organization_id, id),
            secret,
            None,
            updated_at,
            activity,
        )
        .await
    }

    async fn delete_api_key(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        deleted_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            lock_live_key(&tx, organization_id, id).await?;
            let before = fetch_api_key(&tx, organization_id, id).await?;
            tx.execute(
                "update api_keys set deleted_at = ?2, key_sealed = null, updated_at = ?2, \
                 previous_valid_until = case when previous_valid_until > ?2 then ?2 \
                   else previous_valid_until end \
                 where id = ?1",
                args![id, deleted_at],
            )
            .await?;
            tx.key_changed(&before.digest).await?;
            if let Some(previous) = &before.previous {
                tx.key_changed(&previous.digest).await?;
            }
            insert_activity(&tx, activity).await?;
            Ok(before)
        }
        .await;
        tx.finish(outcome).await
    }

    async fn reseal_secrets(&self, reseal: &Reseal<'_>) -> StoreResult<u64> {
        crate::reseal::reseal_secrets(&self.db, reseal).await
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
        let tx = self.db.begin().await?;
        let outcome = async {
            for delta in ordered {
                // Every right-hand side sees the row as it was (on PostgreSQL, re-read after a
                // concurrent update), so the address and user agent are taken exactly when the
                // delta's time is at least the stored one, and the time never moves backwards,
                // whichever node flushes last. Deleted or unknown keys match no row.
                tx.execute(
                    "update api_keys set \
                     last_used_ip = case when last_used_at is null or ?2 >= last_used_at \
                       then ?3 else last_used_ip end, \
                     last_used_user_agent = case when last_used_at is null or ?2 >= last_used_at \
                       then ?4 else last_used_user_agent end, \
                     last_used_at = case when last_used_at is null or ?2 >= last_used_at \
                       then ?2 else last_used_at end, \
                     success_count = success_count + ?5, failure_count = failure_count + ?6 \
                     where id = ?1 and deleted_at is null",
                    args![
                        delta.id,
                        delta.last_used_at,
                        delta.last_ip.as_deref(),
                        delta.last_user_agent.as_deref(),
                        count_value(delta.successes),
                        count_value(delta.failures),
                    ],
                )
                .await?;
            }
            Ok(())
        }
        .await;
        tx.finish(outcome).await
    }

    async fn insert_activity(&self, activity: &Activity) -> StoreResult<()> {
        insert_activity(&self.db, activity).await
    }

    async fn list_activity(
        &self,
        organization_id: OrganizationId,
        before: Option<ActivityId>,
        limit: u32,
    ) -> StoreResult<Vec<Activity>> {
        list_activity(&self.db, organization_id, before, limit).await
    }

    async fn list_changes(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<ActivityId>,
    ) -> StoreResult<Page<Activity>> {
        list_changes(&self.db, organization_id, page).await
    }
}

/// Locks a live key's row for the transaction (PostgreSQL; SQLite's transaction holds the
/// write lock already) and returns its digest; `NotFound` if there is none.
pub(crate) async fn lock_live_key(
    tx: &impl Exec,
    organization_id: OrganizationId,
    id: ApiKeyId,
) -> StoreResult<Digest> {
    let sql = format!(
        "select key_digest from api_keys \
         where organization_id = ?1 and id = ?2 and deleted_at is null{}",
        tx.dialect().for_update()
    );
    tx.one(&sql, args![organization_id, id]).await
}

/// Reads a stored rate limit (positive, checked by the schema).
pub(crate) fn limit_of(value: Option<i64>) -> StoreResult<Option<u32>> {
    value
        .map(|limit| u32::try_from(limit).map_err(|_| crate::codec::damaged("rate limit")))
        .transpose()
}

/// The stored form of an address list.
pub(crate) fn ips_text(ips: &[String]) -> StoreResult<String> {
    serde_json::to_string(ips).map_err(|_| crate::codec::damaged("address list"))
}

/// A live key of an organization.
pub(crate) async fn fetch_api_key(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: ApiKeyId,
) -> StoreResult<ApiKeyRecord> {
    exec.one(
        concat!(
            api_key_select!(),
            "where k.organization_id = ?1 and k.id = ?2 and k.deleted_at is null"
        ),
        args![organization_id, id],
    )
    .await
}
