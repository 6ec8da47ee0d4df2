//! `KeyStore::reseal_secrets` (master key rotation): the sealed copies of live API keys, then
//! those of webhook trigger tokens, then event webhook secrets, each offered once and written back in one transaction, so
//! a rotation is kept or lost whole.
//!
//! On PostgreSQL each table's rows are locked (`for update`, in id order, tables always in the
//! same order) before anything is offered: a concurrent regenerate or delete on another node
//! waits until the new copies commit, so no copy is written back over a newer value, and two
//! rotations at once queue. SQLite's transaction holds the write lock from its start.

use plumb_core::store::{Reseal, StoreResult};

use crate::db::{Db, Exec, Tx, args};

/// Every table holding sealed copies: the query listing the copies to offer (the id text they
/// are bound to, the sealed bytes) and the statement writing a new copy back. Deleted keys have
/// no copy; a trigger created in hash-only mode has an empty one, which is not offered.
const SEALED: [(&str, &str); 3] = [
    (
        "select id, key_sealed from api_keys \
         where deleted_at is null and key_sealed is not null order by id",
        "update api_keys set key_sealed = ?2 where id = ?1",
    ),
    (
        "select id, token_sealed from automation_webhooks \
         where length(token_sealed) > 0 order by id",
        "update automation_webhooks set token_sealed = ?2 where id = ?1",
    ),
    (
        "select id, sealed_secret from event_endpoints \
         where length(sealed_secret) > 0 order by id",
        "update event_endpoints set sealed_secret = ?2 where id = ?1",
    ),
];

/// Offers every sealed copy to `reseal` and stores what it returns; how many were replaced.
pub(crate) async fn reseal_secrets(db: &Db, reseal: &Reseal<'_>) -> StoreResult<u64> {
    let tx = db.begin().await?;
    let outcome = async {
        let mut replaced = 0;
        for (select, update) in SEALED {
            replaced += reseal_table(&tx, select, update, reseal).await?;
        }
        Ok(replaced)
    }
    .await;
    tx.finish(outcome).await
}

async fn reseal_table(
    tx: &Tx,
    select: &str,
    update: &str,
    reseal: &Reseal<'_>,
) -> StoreResult<u64> {
    let select = format!("{select}{}", tx.dialect().for_update());
    let sealed: Vec<(String, Vec<u8>)> = tx.rows(&select, &[]).await?;
    let mut replaced = 0;
    for (id, old) in sealed {
        let Some(new) = reseal(&id, &old) else {
            continue;
        };
        tx.execute(update, args![&id, new.as_slice()]).await?;
        replaced += 1;
    }
    Ok(replaced)
}
