//! Rotating the master key: every sealed secret (API key values for Copy key, webhook trigger
//! tokens for showing their URLs) is opened under the old master key and sealed again under the
//! new one, in one store transaction, so both keep working once every node runs with the new
//! key file. Secrets stored as digests only (hash-only mode) have nothing to re-seal.
//!
//! Running it twice is harmless: values already sealed under the new key are recognised and
//! left alone, which also lets an operator catch keys and triggers that a node still running
//! with the old key created during a rolling restart (run it again with the old key in the
//! configuration).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::crypto::{Sealer, UnsealError};
use crate::store::{Store, StoreResult};

/// What a rotation did; each count covers API key values and trigger tokens together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rotation {
    /// Values that were sealed under the old key and now are under the new one.
    pub resealed: u64,
    /// Values already sealed under the new key (an earlier or interrupted rotation).
    pub already_rotated: u64,
    /// Values neither key opens (sealed under some older key, or damaged): left as they are;
    /// Copy key keeps refusing them until the key is regenerated, and such a trigger's URL stays
    /// hidden until it is replaced.
    pub unreadable: u64,
}

/// Re-seals every sealed secret from `old` to `new`.
pub async fn rotate(store: &dyn Store, old: &Sealer, new: &Sealer) -> StoreResult<Rotation> {
    let (already, unreadable) = (AtomicU64::new(0), AtomicU64::new(0));
    let resealed = store
        .reseal_secrets(&|context, sealed| {
            // The id is bound into each sealed value as associated data.
            match old.open(sealed, context.as_bytes()) {
                Ok(value) => Some(new.seal(&value, context.as_bytes())),
                Err(UnsealError::OtherMasterKey)
                    if new.open(sealed, context.as_bytes()).is_ok() =>
                {
                    already.fetch_add(1, Ordering::Relaxed);
                    None
                }
                Err(_) => {
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    None
                }
            }
        })
        .await?;
    Ok(Rotation {
        resealed,
        already_rotated: already.into_inner(),
        unreadable: unreadable.into_inner(),
    })
}
