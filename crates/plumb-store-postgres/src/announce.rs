//! The announcing half of the change feed: the channel an installation's nodes share, and the
//! notifications each change sends inside its own transaction (`pg_notify` is delivered when
//! the transaction commits, and never if it rolls back). Payloads name digests in hex, never a
//! key; the listening half is `notify`.

use plumb_core::crypto::Digest;
use plumb_core::store::StoreResult;
use sqlx::PgConnection;

use crate::codec::digest_hex;
use crate::error::db_error;

/// Payload prefixes: a changed key's digest, and a watch's own heartbeat.
pub(crate) const KEY_PREFIX: &str = "k:";
pub(crate) const PING_PREFIX: &str = "p:";
pub(crate) const GROUPS: &str = "g";

/// The channel name for a schema. Channel names are identifiers (at most 63 bytes); schema
/// names are too, so only the prefix can push one over.
pub(crate) fn channel_name(schema: &str) -> String {
    let mut name = format!("plumb.{schema}");
    while name.len() > 63 {
        name.pop();
    }
    name
}

/// Announces a changed key inside the caller's transaction.
pub(crate) async fn announce_key(
    conn: &mut PgConnection,
    channel: &str,
    digest: &Digest,
) -> StoreResult<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(channel)
        .bind(format!("{KEY_PREFIX}{}", digest_hex(digest)))
        .execute(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Announces an inventory write (groups or devices) inside the caller's transaction.
pub(crate) async fn announce_groups(conn: &mut PgConnection, channel: &str) -> StoreResult<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(channel)
        .bind(GROUPS)
        .execute(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// A digest from its 64 hex characters.
pub(crate) fn parse_digest(hex: &str) -> Option<Digest> {
    let bytes = hex::decode(hex).ok()?;
    Some(Digest(<[u8; 32]>::try_from(bytes).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_payloads_round_trip_and_junk_is_refused() {
        let digest = Digest([0xab; 32]);
        assert_eq!(parse_digest(&digest_hex(&digest)), Some(digest));
        assert_eq!(parse_digest("abcd"), None);
        assert_eq!(parse_digest("zz"), None);
    }

    #[test]
    fn channel_names_fit_an_identifier() {
        assert_eq!(channel_name("public"), "plumb.public");
        assert_eq!(channel_name(&"s".repeat(63)).len(), 63);
    }
}
