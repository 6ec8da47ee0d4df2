//! Passwords: Argon2id in PHC strings, with explicit parameters.
//!
//! Hashing is slow on purpose (tens of milliseconds): callers on an async runtime must use
//! [`hash_blocking`] and [`verify_blocking`], which run on tokio's blocking pool. Each hash
//! holds 19 MiB while it runs, so at most [`concurrent_hashes`] run at once and the others
//! wait their turn: a flood of sign-ins costs time, never unbounded memory.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::DomainError;

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted (bounds hashing work).
pub const MAX_LEN: usize = 1024;

/// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .unwrap_or_else(|_| unreachable!("these Argon2 parameters are within the allowed ranges"));
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the account does not exist, so both cases take as long.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash(&SecretString::from("plumb-dummy-password")).unwrap_or_default());

/// Checks a new password against the length rules.
pub fn check_new(password: &SecretString) -> Result<(), DomainError> {
    let length = password.expose_secret().chars().count();
    if length < MIN_LEN {
        return Err(DomainError::invalid(format!(
            "password must be at least {MIN_LEN} characters"
        )));
    }
    if password.expose_secret().len() > MAX_LEN {
        return Err(DomainError::invalid(format!(
            "password must be at most {MAX_LEN} bytes"
        )));
    }
    Ok(())
}

/// Hashes a password into a PHC string (synchronous; see module docs).
pub fn hash(password: &SecretString) -> Result<String, DomainError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| DomainError::Internal(format!("argon2 hashing failed: {error}")))
}

/// Verifies a password against a PHC string; `None` verifies against a dummy hash and fails.
pub fn verify(password: &SecretString, phc: Option<&str>) -> bool {
    let phc = phc.unwrap_or(DUMMY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let matches = argon2()
        .verify_password(password.expose_secret().as_bytes(), &parsed)
        .is_ok();
    matches && phc != DUMMY_HASH.as_str()
}

/// How many hashes run at once: one per CPU, at least two.
pub fn concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(2, |cpus| cpus.get().max(2))
}

/// The turns of the hashing pool (see the module docs).
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(concurrent_hashes()));

/// [`hash`] on the blocking pool.
pub async fn hash_blocking(password: SecretString) -> Result<String, DomainError> {
    let _turn = HASHING
        .acquire()
        .await
        .map_err(|error| DomainError::Internal(format!("password pool closed: {error}")))?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|error| DomainError::Internal(format!("password worker failed: {error}")))?
}

/// [`verify`] on the blocking pool.
pub async fn verify_blocking(password: SecretString, phc: Option<String>) -> bool {
    let Ok(_turn) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify(&password, phc.as_deref()))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash(&SecretString::from("correct horse battery")).unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify(
            &SecretString::from("correct horse battery"),
            Some(&phc)
        ));
        assert!(!verify(
            &SecretString::from("wrong horse battery"),
            Some(&phc)
        ));
    }

    #[test]
    fn an_unknown_account_never_verifies() {
        assert!(!verify(&SecretString::from("plumb-dummy-password"), None));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new(&SecretString::from("short")).is_err());
        assert!(check_new(&SecretString::from("long enough now")).is_ok());
    }
}
