//! Password hashes: argon2id PHC strings (parameters travel with each hash, so they can be
//! raised later). Hashing costs tens of milliseconds of CPU, so it runs off the async threads,
//! and a sign-in check goes through the [`HashGate`].

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use super::hash_gate::{Busy, HashGate};

/// The shortest password an owner may set.
pub const MIN_LENGTH: usize = 12;

/// The longest password, in bytes, an owner may set or sign in with: longer ones are refused
/// before any hashing.
pub const MAX_BYTES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_LENGTH} characters long")]
    TooShort,
    #[error("the password must be at most {MAX_BYTES} bytes long")]
    TooLong,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// Hashes a new password (argon2id, a fresh random salt).
pub async fn hash(password: String) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if password.len() > MAX_BYTES {
        return Err(PasswordError::TooLong);
    }
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|hash| hash.to_string())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
    .await
    .map_err(|e| PasswordError::Hash(e.to_string()))?
}

/// Whether `password` matches `stored`. With no stored hash (an unknown email) it checks
/// against a fixed hash anyway, so the answer takes as long whether the owner exists or not.
pub async fn verify(
    gate: &HashGate,
    password: String,
    stored: Option<String>,
) -> Result<bool, Busy> {
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
    let matches = gate
        .run(move || {
            PasswordHash::new(&stored)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await?;
    Ok(matches && known)
}

/// An argon2id hash (default parameters) of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$0pU8zmXq2Gm3b8mEJ0m4Xw$0Yh9W2rB2kOSx2o5yYVZ8jvXH3Kq2c4m2b0n5VqFZ1A";

#[cfg(test)]
mod tests {
    use super::*;

    async fn check(password: &str, stored: Option<String>) -> bool {
        verify(&HashGate::for_this_machine(), password.into(), stored)
            .await
            .expect("a free gate")
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(check("correct horse battery", Some(hash.clone())).await);
        assert!(!check("correct horse batterY", Some(hash.clone())).await);
        assert!(!check("", Some(hash)).await);
    }

    #[tokio::test]
    async fn an_unknown_owner_never_verifies() {
        assert!(!check("anything at all", None).await);
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_argon2id_hash() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[tokio::test]
    async fn short_and_overlong_passwords_are_refused() {
        assert!(matches!(
            hash("short".into()).await,
            Err(PasswordError::TooShort)
        ));
        assert!(matches!(
            hash("x".repeat(MAX_BYTES + 1)).await,
            Err(PasswordError::TooLong)
        ));
    }
}
