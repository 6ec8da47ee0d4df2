//! One-time and session tokens: 256 random bits, base64url, stored only as SHA-256 digests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};

use crate::crypto::{self, Digest};

/// A freshly issued token and the digest under which it is stored.
pub struct IssuedToken {
    /// The value handed to the client once.
    pub value: SecretString,
    /// What the store keeps.
    pub digest: Digest,
}

/// Issues a new random token.
pub fn issue() -> IssuedToken {
    let value = URL_SAFE_NO_PAD.encode(crypto::random_secret());
    let digest = crypto::sha256(&value);
    IssuedToken {
        value: SecretString::from(value),
        digest,
    }
}

/// The digest of a presented token, or `None` if it cannot be one of ours.
pub fn digest_of(presented: &str) -> Option<Digest> {
    // 32 bytes in unpadded base64 are 43 characters.
    let plausible = presented.len() == 43
        && presented
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| crypto::sha256(presented))
}

/// The CSRF token for a session: derived from the session token, so nothing extra is stored.
pub fn csrf_for(session: &SecretString) -> String {
    let digest = crypto::sha256(&format!("plumb csrf {}", session.expose_secret()));
    URL_SAFE_NO_PAD.encode(digest.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_recognised_by_their_digest() {
        let token = issue();
        assert_eq!(digest_of(token.value.expose_secret()), Some(token.digest));
    }

    #[test]
    fn junk_is_not_a_token() {
        assert_eq!(digest_of("short"), None);
        assert_eq!(digest_of(&"!".repeat(43)), None);
    }

    #[test]
    fn csrf_tokens_differ_per_session() {
        assert_ne!(csrf_for(&issue().value), csrf_for(&issue().value));
    }
}
