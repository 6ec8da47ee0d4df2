//! How core values are spelled in PostgreSQL columns. The spellings both backends share (ids,
//! digests, counters and the closed sets) live in `plumb_store_rows`; this module re-exports
//! those it uses and adds PostgreSQL's own. Times need no spelling: `timestamptz` maps to
//! `OffsetDateTime` directly (sqlx truncates to microseconds, as the SQLite store does, so a
//! copy between the two loses nothing).

use plumb_core::crypto::Digest;
pub(crate) use plumb_store_rows::codec::{access_text, count_value, escape_like};
pub(crate) use plumb_store_rows::codec::{parse_digest, parse_uuid, permissions_text, role_text};

/// The notification payload for a changed key: its digest in hex (never the key itself).
pub(crate) fn digest_hex(digest: &Digest) -> String {
    hex::encode(digest.0)
}

/// Numbers the `?` placeholders of `sql` as `$1`, `$2`, ... in order (the statements built
/// here contain no other question mark).
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut number = 0;
    for character in sql.chars() {
        if character == '?' {
            number += 1;
            out.push_str(&format!("${number}"));
        } else {
            out.push(character);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_key_is_announced_as_its_digest_in_lowercase_hex() {
        let mut bytes = [0u8; 32];
        bytes[0] = 0xab;
        let hex = digest_hex(&Digest(bytes));
        assert_eq!(hex.len(), 64);
        assert!(hex.starts_with("ab00"));
    }
}
