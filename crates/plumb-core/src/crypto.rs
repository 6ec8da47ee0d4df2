//! Digests and sealing for secrets at rest.
//!
//! - [`KeyHasher`]: HMAC-SHA256 under the installation's pepper, for API keys and device tokens.
//!   A fast keyed hash is right here: keys carry ~190 bits of entropy and must be found by index
//!   on every request.
//! - [`Sealer`]: AES-256-GCM under the master key kept outside the database, so Copy key can
//!   return a key's value. Losing the master key loses Copy key, never verification.
//! - [`sha256`]: plain digests of session and one-time tokens (256 random bits each).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest as _, Sha256};

/// Bytes in a pepper or master key.
pub const SECRET_LEN: usize = 32;

/// The digest under which a key or token is stored and looked up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 32]);

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Digest(..)")
    }
}

/// Computes HMAC-SHA256(pepper, value) with the pepper's key schedule computed once.
#[derive(Clone)]
pub struct KeyHasher {
    prepared: Hmac<Sha256>,
}

impl KeyHasher {
    /// A hasher for the installation's pepper.
    pub fn new(pepper: &[u8; SECRET_LEN]) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let prepared = <Hmac<Sha256> as Mac>::new_from_slice(pepper)
            .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts any key length"));
        Self { prepared }
    }

    /// The digest of a key value.
    pub fn digest(&self, value: &str) -> Digest {
        let mut mac = self.prepared.clone();
        mac.update(value.as_bytes());
        Digest(mac.finalize().into_bytes().into())
    }
}

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher(..)")
    }
}

/// SHA-256 of a high-entropy token (sessions, setup and password links).
pub fn sha256(value: &str) -> Digest {
    Digest(Sha256::digest(value.as_bytes()).into())
}

/// 32 fresh random bytes from the operating system.
pub fn random_secret() -> [u8; SECRET_LEN] {
    let mut bytes = [0u8; SECRET_LEN];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Why a sealed value could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnsealError {
    /// It was sealed under a different master key than the one loaded now.
    #[error("the value was sealed under another master key")]
    OtherMasterKey,
    /// The stored bytes are damaged.
    #[error("the sealed value is damaged")]
    Damaged,
}

const SEAL_VERSION: u8 = 1;
const FINGERPRINT_LEN: usize = 8;
const NONCE_LEN: usize = 12;

/// Seals and opens values with AES-256-GCM under the master key.
///
/// Layout: `version (1) | master key fingerprint (8) | nonce (12) | ciphertext + tag`. The
/// fingerprint tells "another master key" apart from "damaged"; the record id is bound in as
/// associated data, so a sealed value cannot be moved to another record.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
    fingerprint: [u8; FINGERPRINT_LEN],
}

impl Sealer {
    /// A sealer for a master key.
    pub fn new(master_key: &[u8; SECRET_LEN]) -> Self {
        let cipher = Aes256Gcm::new(master_key.into());
        let digest =
            Sha256::digest([b"plumb master key fingerprint".as_slice(), master_key].concat());
        let mut fingerprint = [0u8; FINGERPRINT_LEN];
        fingerprint.copy_from_slice(&digest[..FINGERPRINT_LEN]);
        Self {
            cipher,
            fingerprint,
        }
    }

    /// Seals `value`, bound to `context` (the record id).
    pub fn seal(&self, value: &str, context: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: value.as_bytes(),
            aad: context,
        };
        // Encryption fails only for plaintexts beyond 64 GiB.
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_else(|_| unreachable!("AES-GCM encrypts any short plaintext"));
        let mut out = Vec::with_capacity(1 + FINGERPRINT_LEN + NONCE_LEN + ciphertext.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&self.fingerprint);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    /// Opens a value sealed by [`Sealer::seal`] with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<String, UnsealError> {
        let header = 1 + FINGERPRINT_LEN + NONCE_LEN;
        if sealed.len() <= header || sealed[0] != SEAL_VERSION {
            return Err(UnsealError::Damaged);
        }
        if sealed[1..1 + FINGERPRINT_LEN] != self.fingerprint {
            return Err(UnsealError::OtherMasterKey);
        }
        let nonce = Nonce::from_slice(&sealed[1 + FINGERPRINT_LEN..header]);
        let payload = Payload {
            msg: &sealed[header..],
            aad: context,
        };
        let plain = self
            .cipher
            .decrypt(nonce, payload)
            .map_err(|_| UnsealError::Damaged)?;
        String::from_utf8(plain).map_err(|_| UnsealError::Damaged)
    }
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_under_the_same_master_key_and_context() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal("plumb_secret", b"key-1");
        assert_eq!(sealer.open(&sealed, b"key-1").unwrap(), "plumb_secret");
    }

    #[test]
    fn a_sealed_value_does_not_open_under_another_master_key() {
        let sealed = Sealer::new(&[7; 32]).seal("plumb_secret", b"key-1");
        assert_eq!(
            Sealer::new(&[8; 32]).open(&sealed, b"key-1"),
            Err(UnsealError::OtherMasterKey)
        );
    }

    #[test]
    fn a_sealed_value_does_not_open_for_another_record() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal("plumb_secret", b"key-1");
        assert_eq!(sealer.open(&sealed, b"key-2"), Err(UnsealError::Damaged));
    }

    #[test]
    fn digests_depend_on_the_pepper() {
        let value = "plumb_example";
        assert_ne!(
            KeyHasher::new(&[1; 32]).digest(value),
            KeyHasher::new(&[2; 32]).digest(value)
        );
        assert_eq!(
            KeyHasher::new(&[1; 32]).digest(value),
            KeyHasher::new(&[1; 32]).digest(value)
        );
    }
}
