//! The one format every plumb credential shares: a prefix naming its kind, 32 random base62
//! characters and a 6-character base62 CRC32 of everything before it.
//!
//! API keys (`plumb_`, see [`crate::api_key`]), install keys (`plumbi_`), device tokens
//! (`plumbd_`) and webhook trigger tokens (`plumbw_`) differ only in their prefix. The shape
//! and checksum are checked without allocating and before any lookup; values are stored only
//! as keyed digests ([`crate::crypto::KeyHasher`]). A [`PlainToken`] never prints its value.

use rand::Rng;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};

/// Random base62 characters after the prefix (32 × log2(62) ≈ 190 bits).
pub const RANDOM_LEN: usize = 32;
/// Base62 characters of the CRC32 checksum.
pub const CHECKSUM_LEN: usize = 6;
/// Characters shown at the end of a masked credential.
pub const HINT_LEN: usize = 4;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// What a credential is for; each kind has its own prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An API key for `/v2` (`plumb_`).
    ApiKey,
    /// An install key that enrolls devices (`plumbi_`).
    InstallKey,
    /// A device's token for `/agent/v1` (`plumbd_`).
    DeviceToken,
    /// A webhook trigger's token or its required `Authorization` value (`plumbw_`).
    WebhookToken,
}

impl TokenKind {
    /// The prefix every value of this kind starts with.
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::ApiKey => "plumb_",
            Self::InstallKey => "plumbi_",
            Self::DeviceToken => "plumbd_",
            Self::WebhookToken => "plumbw_",
        }
    }

    /// The total length of a value of this kind.
    pub const fn value_len(self) -> usize {
        self.prefix().len() + RANDOM_LEN + CHECKSUM_LEN
    }
}

/// Why a presented value is not a well-formed credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MalformedKey {
    /// Wrong length or prefix, or a character outside base62.
    #[error("not a plumb key")]
    Shape,
    /// Well shaped, but the checksum does not match: a typo or a made-up value.
    #[error("checksum mismatch")]
    Checksum,
}

/// Validates a presented value of `kind`: length, prefix, alphabet, checksum. Allocation-free.
pub fn check_format(kind: TokenKind, presented: &str) -> Result<(), MalformedKey> {
    let bytes = presented.as_bytes();
    let prefix = kind.prefix();
    if bytes.len() != kind.value_len() || !presented.starts_with(prefix) {
        return Err(MalformedKey::Shape);
    }
    if !bytes[prefix.len()..].iter().all(u8::is_ascii_alphanumeric) {
        return Err(MalformedKey::Shape);
    }
    let (body, presented_checksum) = bytes.split_at(kind.value_len() - CHECKSUM_LEN);
    if encode_checksum(crc32fast::hash(body)) != presented_checksum {
        return Err(MalformedKey::Checksum);
    }
    Ok(())
}

/// A fresh value of `kind` from the operating system's CSPRNG.
pub fn generate(kind: TokenKind) -> SecretString {
    let mut value = String::with_capacity(kind.value_len());
    value.push_str(kind.prefix());
    value.extend(
        OsRng
            .sample_iter(&Alphanumeric)
            .take(RANDOM_LEN)
            .map(char::from),
    );
    let checksum = encode_checksum(crc32fast::hash(value.as_bytes()));
    // The encoded checksum is pure ASCII from BASE62.
    value.extend(checksum.iter().map(|&b| char::from(b)));
    SecretString::from(value)
}

/// The masked form of a credential of `kind` whose last characters are `hint`.
pub fn mask(kind: TokenKind, hint: &str) -> String {
    format!("{}****{hint}", kind.prefix())
}

/// Base62-encodes a CRC32 into exactly six characters, most significant first.
pub(crate) fn encode_checksum(mut crc: u32) -> [u8; CHECKSUM_LEN] {
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(crc % 62) as usize];
        crc /= 62;
    }
    out
}

/// A credential value of a known kind. Handle with care: it is a bearer secret.
#[derive(Clone)]
pub struct PlainToken {
    kind: TokenKind,
    value: SecretString,
}

impl PlainToken {
    /// Generates a fresh value of `kind`.
    pub fn generate(kind: TokenKind) -> Self {
        Self {
            kind,
            value: generate(kind),
        }
    }

    /// Checks a presented value's shape and checksum for `kind`, without touching any store.
    pub fn parse(kind: TokenKind, presented: &str) -> Result<Self, MalformedKey> {
        check_format(kind, presented)?;
        Ok(Self {
            kind,
            value: SecretString::from(presented),
        })
    }

    /// The kind.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The full value, for the one response that returns it and for hashing.
    pub fn expose(&self) -> &str {
        self.value.expose_secret()
    }

    /// The last [`HINT_LEN`] characters, stored in clear to build the masked form.
    pub fn hint(&self) -> &str {
        let value = self.expose();
        &value[value.len() - HINT_LEN..]
    }

    /// The masked form: prefix, stars and the last four characters.
    pub fn masked(&self) -> String {
        mask(self.kind, self.hint())
    }
}

impl std::fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlainToken({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const KINDS: [TokenKind; 4] = [
        TokenKind::ApiKey,
        TokenKind::InstallKey,
        TokenKind::DeviceToken,
        TokenKind::WebhookToken,
    ];

    #[test]
    fn each_kind_generates_values_with_its_own_prefix_that_pass_their_checksum() {
        for kind in KINDS {
            let token = PlainToken::generate(kind);
            assert!(token.expose().starts_with(kind.prefix()));
            assert_eq!(token.expose().len(), kind.value_len());
            assert!(check_format(kind, token.expose()).is_ok());
        }
    }

    #[test]
    fn a_value_of_one_kind_is_refused_as_another() {
        for kind in KINDS {
            let token = PlainToken::generate(kind);
            for other in KINDS.into_iter().filter(|other| *other != kind) {
                assert_eq!(
                    check_format(other, token.expose()),
                    Err(MalformedKey::Shape),
                    "{kind:?} as {other:?}"
                );
            }
        }
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let token = PlainToken::generate(TokenKind::DeviceToken);
        let debug = format!("{token:?}");
        assert!(!debug.contains(token.expose()));
        assert!(debug.contains("plumbd_****"));
    }

    proptest! {
        #[test]
        fn changing_any_one_character_of_a_device_token_is_detected(position in 0usize..45, replacement in "[0-9A-Za-z_]") {
            let token = PlainToken::generate(TokenKind::DeviceToken);
            let mut bytes = token.expose().as_bytes().to_vec();
            let replacement = replacement.as_bytes()[0];
            prop_assume!(bytes[position] != replacement);
            bytes[position] = replacement;
            let altered = String::from_utf8(bytes).unwrap();
            prop_assert!(PlainToken::parse(TokenKind::DeviceToken, &altered).is_err());
        }

        #[test]
        fn arbitrary_strings_never_panic_for_any_kind(text in ".{0,60}") {
            for kind in KINDS {
                let _ = check_format(kind, &text);
            }
        }
    }
}
