//! Password hashes: argon2id PHC strings (parameters travel with each hash, so they can be
//! raised later). Hashing costs tens of milliseconds of CPU, so it runs off the async threads,
//! and a sign-in check goes through the [`HashGate`].

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
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

/// argon2id with 9 MiB and four passes: one of the settings OWASP's password storage guide
/// lists as equally strong as 19 MiB and two passes (argon2's default), chosen because every
/// check holds its memory while it runs, and the server's peak memory is mostly that.
const MEMORY_KIB: u32 = 9 * 1024;
const PASSES: u32 = 4;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether `stored` was hashed with today's parameters; an older hash is replaced at the
/// owner's next sign-in, when the password is at hand.
pub fn is_current(stored: &str) -> bool {
    PasswordHash::new(stored)
        .ok()
        .filter(|parsed| parsed.algorithm == Algorithm::Argon2id.ident())
        .and_then(|parsed| Params::try_from(&parsed).ok())
        .is_some_and(|params| {
            (params.m_cost(), params.t_cost(), params.p_cost()) == (MEMORY_KIB, PASSES, 1)
        })
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
        hasher()
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

/// An argon2id hash, with today's parameters, that no password matches.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=9216,t=4,p=1$0pU8zmXq2Gm3b8mEJ0m4Xw$0Yh9W2rB2kOSx2o5yYVZ8jvXH3Kq2c4m2b0n5VqFZ1A";

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
    async fn the_dummy_hash_is_a_real_argon2id_hash_with_todays_parameters() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(
            is_current(DUMMY_HASH),
            "an unknown email costs what a real check does"
        );
    }

    #[tokio::test]
    async fn new_hashes_are_current_and_older_ones_still_verify() {
        let new = hash("correct horse battery".into()).await.unwrap();
        assert!(new.contains("$m=9216,t=4,p=1$"), "{new}");
        assert!(is_current(&new));
        let old = Argon2::default()
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(old.contains("$m=19456,t=2,p=1$"), "{old}");
        assert!(!is_current(&old));
        assert!(check("correct horse battery", Some(old)).await);
        assert!(!is_current("not a hash"));
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
