//! Owner authentication: argon2id password hashes, database-backed sessions behind an
//! HttpOnly SameSite cookie, per-account and per-address limits on sign-in attempts, and the
//! check every owner page and server function makes.

pub mod password;
pub mod session;

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};

use crate::ssr::{
    db::DbTime,
    state::AppState,
    store::{owners, rate_limits},
};

/// A signed-in owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub id: String,
    pub email: String,
}

/// How a sign-in attempt ended.
#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the new session's token, for the cookie.
    Accepted { token: String },
    /// Wrong email or password (which one is not said).
    Refused,
    /// Too many attempts for this account or from this address in the current hour.
    TooManyAttempts,
}

/// The form an owner's email is stored and looked up in.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks an email and password and, when they match, opens a session. Every attempt counts
/// against the account and the client address, before the password is checked.
pub async fn sign_in(
    app: &AppState,
    email: &str,
    password: String,
    client: IpAddr,
) -> Result<SignIn, sqlx::Error> {
    let email = normalise_email(email);
    let limit = i64::from(app.settings.owners.signin_attempts_per_hour);
    let window = rate_limits::hour_window(Timestamp::now());
    let mut tx = app.db.begin().await?;
    let by_account =
        rate_limits::count_hit(&mut tx, &format!("signin:account:{email}"), window).await?;
    let by_address =
        rate_limits::count_hit(&mut tx, &format!("signin:address:{client}"), window).await?;
    tx.commit().await?;
    if by_account > limit || by_address > limit {
        return Ok(SignIn::TooManyAttempts);
    }

    let owner = owners::find_by_email(&app.db, &email).await?;
    // Checked against a stand-in hash for an unknown email, so both answers take as long.
    let matches = password::verify(password, owner.as_ref().map(|o| o.password_hash.clone())).await;
    let Some(owner) = owner.filter(|_| matches) else {
        return Ok(SignIn::Refused);
    };
    let token = session::new_token();
    let now = Timestamp::now();
    let expires = now
        .checked_add(SignedDuration::from_secs(
            app.settings.owners.session_seconds(),
        ))
        .unwrap_or(now);
    owners::insert_session(
        &app.db,
        &session::token_hash(&token),
        &owner.id,
        DbTime::new(now),
        DbTime::new(expires),
    )
    .await?;
    Ok(SignIn::Accepted { token })
}

/// The owner whose session cookie the request carries, if it is valid and unexpired.
pub async fn owner_of(
    app: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Owner>, sqlx::Error> {
    let Some(token) = session::token_from(headers) else {
        return Ok(None);
    };
    Ok(
        owners::session_owner(&app.db, &session::token_hash(&token), DbTime::now())
            .await?
            .map(|(id, email)| Owner { id, email }),
    )
}

/// Ends the session the request's cookie names, if any.
pub async fn sign_out(app: &AppState, headers: &http::HeaderMap) -> Result<(), sqlx::Error> {
    if let Some(token) = session::token_from(headers) {
        owners::delete_session(&app.db, &session::token_hash(&token)).await?;
    }
    Ok(())
}

/// Why an owner could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateOwnerError {
    #[error("{0:?} is not an email address")]
    Email(String),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("the database refused: {0}")]
    Database(#[from] sqlx::Error),
}

/// Whether [`create_or_update_owner`] made a new owner or changed a password.
#[derive(Debug, PartialEq, Eq)]
pub enum OwnerSaved {
    Created,
    PasswordChanged,
}

/// Creates an owner, or sets the password of the owner with that email.
pub async fn create_or_update_owner(
    db: &crate::ssr::db::Db,
    email: &str,
    password: String,
) -> Result<OwnerSaved, CreateOwnerError> {
    let email = normalise_email(email);
    if !email_address::EmailAddress::is_valid(&email) {
        return Err(CreateOwnerError::Email(email));
    }
    let hash = password::hash(password).await?;
    let id = uuid::Uuid::new_v4().to_string();
    if owners::insert(db, &id, &email, &hash, DbTime::now()).await? {
        return Ok(OwnerSaved::Created);
    }
    owners::set_password(db, &email, &hash).await?;
    Ok(OwnerSaved::PasswordChanged)
}

/// Creates the first owner from configuration when there is no owner at all; answers whether
/// it did. An existing owner is never touched.
pub async fn create_first_owner(
    db: &crate::ssr::db::Db,
    email: &str,
    password: String,
) -> Result<bool, CreateOwnerError> {
    if owners::count(db).await? > 0 {
        return Ok(false);
    }
    Ok(create_or_update_owner(db, email, password).await? == OwnerSaved::Created)
}
