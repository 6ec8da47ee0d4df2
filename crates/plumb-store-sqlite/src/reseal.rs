//! `KeyStore::reseal_secrets` for SQLite (master key rotation): the sealed copies of live API
//! keys, then those of webhook trigger tokens, each offered once and written back in one
//! `begin immediate` transaction, so a rotation is kept or lost whole.

use plumb_core::store::{Reseal, StoreResult};
use sqlx::SqliteConnection;

use crate::SqliteStore;
use crate::error::db_error;

/// Every table holding sealed copies: the query listing the copies to offer (the id text they
/// are bound to, the sealed bytes) and the statement writing a new copy back. Deleted keys have
/// no copy; a trigger created in hash-only mode has an empty one, which is not offered.
const SEALED: [(&str, &str); 2] = [
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
];

/// Offers every sealed copy to `reseal` and stores what it returns; how many were replaced.
pub(crate) async fn reseal_secrets(store: &SqliteStore, reseal: &Reseal<'_>) -> StoreResult<u64> {
    let mut tx = store.write().await?;
    let mut replaced = 0;
    for (select, update) in SEALED {
        replaced += reseal_table(&mut tx, select, update, reseal).await?;
    }
    tx.commit().await.map_err(db_error)?;
    Ok(replaced)
}

async fn reseal_table(
    conn: &mut SqliteConnection,
    select: &'static str,
    update: &'static str,
    reseal: &Reseal<'_>,
) -> StoreResult<u64> {
    let sealed: Vec<(String, Vec<u8>)> = sqlx::query_as(select)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
    let mut replaced = 0;
    for (id, old) in sealed {
        let Some(new) = reseal(&id, &old) else {
            continue;
        };
        sqlx::query(update)
            .bind(&id)
            .bind(new)
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        replaced += 1;
    }
    Ok(replaced)
}
