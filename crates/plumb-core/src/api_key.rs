//! The API key value: `plumb_` + 32 random base62 characters + a 6-character base62 CRC32.
//!
//! The checksum covers everything before it (prefix and random part), so a mistyped or made-up
//! value is refused offline, before any lookup. A [`PlainApiKey`] never prints its value:
//! `Debug` shows the masked form, and there is no `Display`. The format itself is shared with
//! the other credentials (install keys, device tokens, webhook tokens): see [`crate::credential`].

use secrecy::{ExposeSecret, SecretString};

pub use crate::credential::MalformedKey;
#[cfg(test)]
use crate::credential::encode_checksum;
use crate::credential::{self, TokenKind};

/// Every key starts with this, so secret scanners and people recognise it.
pub const PREFIX: &str = TokenKind::ApiKey.prefix();
/// Random base62 characters after the prefix (32 × log2(62) ≈ 190 bits).
pub const RANDOM_LEN: usize = credential::RANDOM_LEN;
/// Base62 characters of the CRC32 checksum.
pub const CHECKSUM_LEN: usize = credential::CHECKSUM_LEN;
/// Total length of a key.
pub const KEY_LEN: usize = TokenKind::ApiKey.value_len();
/// Characters of the key shown at the end of the masked form.
pub const HINT_LEN: usize = credential::HINT_LEN;

/// A full key value. Handle with care: it is a bearer secret.
#[derive(Clone)]
pub struct PlainApiKey(SecretString);

impl PlainApiKey {
    /// Generates a fresh key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(credential::generate(TokenKind::ApiKey))
    }

    /// Checks the shape and checksum of a presented value without touching any store.
    pub fn parse(presented: &str) -> Result<Self, MalformedKey> {
        check_format(presented)?;
        Ok(Self(SecretString::from(presented)))
    }

    /// The full value, for the one response that returns it and for hashing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The last [`HINT_LEN`] characters, stored in clear to build the masked form.
    pub fn hint(&self) -> &str {
        let value = self.expose();
        &value[value.len() - HINT_LEN..]
    }

    /// The masked form: prefix, stars and the last four characters.
    pub fn masked(&self) -> String {
        mask(self.hint())
    }
}

impl std::fmt::Debug for PlainApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlainApiKey({})", self.masked())
    }
}

/// The masked form of a key whose last four characters are `hint`.
pub fn mask(hint: &str) -> String {
    credential::mask(TokenKind::ApiKey, hint)
}

/// Validates a presented value: length, prefix, alphabet, checksum. Allocation-free.
pub fn check_format(presented: &str) -> Result<(), MalformedKey> {
    credential::check_format(TokenKind::ApiKey, presented)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn generated_keys_have_the_documented_shape() {
        let key = PlainApiKey::generate();
        let value = key.expose();
        assert_eq!(value.len(), KEY_LEN);
        assert!(value.starts_with("plumb_"));
        assert!(check_format(value).is_ok());
    }

    #[test]
    fn two_generated_keys_differ() {
        assert_ne!(
            PlainApiKey::generate().expose(),
            PlainApiKey::generate().expose()
        );
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let key = PlainApiKey::generate();
        let debug = format!("{key:?}");
        assert!(!debug.contains(key.expose()));
        assert!(debug.contains(key.hint()));
    }

    #[test]
    fn the_largest_checksum_still_fits_in_six_characters() {
        assert_eq!(&encode_checksum(u32::MAX), b"4gfFC3");
        assert_eq!(&encode_checksum(0), b"000000");
    }

    proptest! {
        #[test]
        fn every_generated_key_passes_its_own_checksum(_seed in 0u8..=255) {
            let key = PlainApiKey::generate();
            prop_assert!(PlainApiKey::parse(key.expose()).is_ok());
        }

        #[test]
        fn changing_any_one_character_is_detected(position in 0usize..KEY_LEN, replacement in "[0-9A-Za-z_]") {
            let key = PlainApiKey::generate();
            let mut bytes = key.expose().as_bytes().to_vec();
            let replacement = replacement.as_bytes()[0];
            prop_assume!(bytes[position] != replacement);
            bytes[position] = replacement;
            let altered = String::from_utf8(bytes).unwrap();
            prop_assert!(PlainApiKey::parse(&altered).is_err());
        }

        #[test]
        fn arbitrary_strings_never_panic_and_almost_never_parse(text in ".{0,60}") {
            // A random string passes only if it happens to be a valid key, which is what
            // check_format defines; it must never panic on any input (multi-byte included).
            let _ = check_format(&text);
        }

        #[test]
        fn the_masked_form_shows_the_prefix_and_exactly_the_last_four_characters(_seed in 0u8..=255) {
            let key = PlainApiKey::generate();
            let masked = key.masked();
            let value = key.expose();
            prop_assert!(masked.starts_with("plumb_"));
            prop_assert!(masked.ends_with(&value[value.len() - 4..]));
            prop_assert!(!masked.contains(&value[PREFIX.len()..value.len() - 4]));
            prop_assert_eq!(masked.len(), PREFIX.len() + 4 + 4);
        }
    }
}
