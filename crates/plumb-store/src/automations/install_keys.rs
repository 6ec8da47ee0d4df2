//! Install keys: inserted with their activity entry, listed while live, revoked for good.
//!
//! A revoked key keeps its row, so its digest is never issued again, but no read here returns
//! it.

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::{InstallKeyId, OrganizationId};
use plumb_core::store::InstallKeyStore;
use plumb_core::store::{Activity, InstallKeyRecord, NewInstallKey, StoreResult};

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::db::{Exec, FromRow, Row, args};

/// Selects an [`InstallKeyRecord`] (its digest stays in the table); callers append a `where`.
macro_rules! install_key_select {
    () => {
        "select id, organization_id, group_id, key_hint, created_at from install_keys "
    };
}

impl FromRow for InstallKeyRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(InstallKeyRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            group_id: columns.next()?,
            hint: columns.next()?,
            created_at: columns.next()?,
        })
    }
}

#[async_trait]
impl InstallKeyStore for SqlStore {
    async fn insert_install_key(
        &self,
        key: &NewInstallKey,
        activity: &Activity,
    ) -> StoreResult<InstallKeyRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into install_keys (id, organization_id, group_id, key_digest, key_hint, \
             created_at) values (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    key.id,
                    key.organization_id,
                    key.group_id,
                    &key.digest,
                    &key.hint,
                    key.created_at,
                ],
            )
            .await?;
            insert_activity(&tx, activity).await?;
            tx.one(
                concat!(install_key_select!(), "where id = ?1"),
                args![key.id],
            )
            .await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn list_install_keys(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<InstallKeyRecord>> {
        self.db
            .rows(
                concat!(
                    install_key_select!(),
                    "where organization_id = ?1 and revoked_at is null \
             order by created_at desc, id desc"
                ),
                args![organization_id],
            )
            .await
    }

    async fn revoke_install_key(
        &self,
        organization_id: OrganizationId,
        id: InstallKeyId,
        activity: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "update install_keys set revoked_at = ?3 \
                 where organization_id = ?1 and id = ?2 and revoked_at is null",
                args![organization_id, id, activity.created_at],
            )
            .await?;
            insert_activity(&tx, activity).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn install_key_by_digest(
        &self,
        digest: &Digest,
    ) -> StoreResult<Option<InstallKeyRecord>> {
        self.db
            .first(
                concat!(
                    install_key_select!(),
                    "where key_digest = ?1 and revoked_at is null"
                ),
                args![digest],
            )
            .await
    }
}
