//! Signing in: every attempt counts against the account and the client address before the
//! password is checked; a match opens a database-backed session.

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};

use crate::ssr::{
    auth::{accounts::normalise_email, password, session},
    db::DbTime,
    state::AppState,
    store::{owners, rate_limits},
};

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

/// Checks an email and password and, when they match, opens a session.
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
