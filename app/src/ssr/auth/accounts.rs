//! Owner accounts: creating one, or setting an existing owner's password, from the command
//! line or from configuration at the first start.

use crate::ssr::{
    auth::password,
    db::{Db, DbTime},
    store::owners,
};

/// The form an owner's email is stored and looked up in.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Why an owner could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateOwnerError {
    #[error("{0:?} is not an email address")]
    Email(String),
    #[error("there is no owner with the email {0:?}")]
    NoSuchOwner(String),
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

/// Creates an owner, or sets the password of the owner with that email (ending their
/// sessions).
pub async fn create_or_update_owner(
    db: &Db,
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

/// Sets the password of the existing owner with that email, ending every session they have.
pub async fn set_owner_password(
    db: &Db,
    email: &str,
    password: String,
) -> Result<(), CreateOwnerError> {
    let email = normalise_email(email);
    if owners::find_by_email(db, &email).await?.is_none() {
        return Err(CreateOwnerError::NoSuchOwner(email));
    }
    let hash = password::hash(password).await?;
    if owners::set_password(db, &email, &hash).await? {
        Ok(())
    } else {
        Err(CreateOwnerError::NoSuchOwner(email))
    }
}

/// Creates the first owner from configuration when there is no owner at all; answers whether
/// it did. An existing owner is never touched.
pub async fn create_first_owner(
    db: &Db,
    email: &str,
    password: String,
) -> Result<bool, CreateOwnerError> {
    if owners::count(db).await? > 0 {
        return Ok(false);
    }
    Ok(create_or_update_owner(db, email, password).await? == OwnerSaved::Created)
}
