//! Signing in. Each attempt is counted against three keys before its password is checked:
//! the account from this address, this address over every account, and the account from
//! everywhere. The first two refuse past their limit; the account-wide one only slows attempts
//! down, so strangers failing against an owner's email cannot lock the owner out. An attempt
//! that succeeds is taken back off every count. A match opens a database-backed session.

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};

use crate::{
    domain::rate_limit::WindowCounts,
    ssr::{
        auth::{accounts::normalise_email, hash_gate::Busy, password, session},
        db::DbTime,
        meters,
        settings::SignInLimits,
        state::AppState,
        store::{
            owners::{self, OwnerRow},
            rate_limits,
        },
    },
};

/// The longest email address (RFC 5321's path limit less its brackets), in bytes.
pub const MAX_EMAIL_BYTES: usize = 254;

/// How a sign-in attempt ended.
#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the new session's token, for the cookie.
    Accepted { token: String },
    /// Wrong email or password (which one is not said).
    Refused,
    /// The email or the password is longer than any we accept; nothing was counted or hashed.
    TooLong,
    /// Too many failures for this account from this address, or from this address; the
    /// attempt was not checked.
    TooManyAttempts { retry_after_seconds: u64 },
    /// Too many attempts are being checked right now; the same one may succeed in a moment.
    Busy,
}

/// The three counts an attempt is made against.
struct AttemptKeys {
    account_from_address: String,
    address: String,
    account: String,
}

impl AttemptKeys {
    fn new(app: &AppState, email: &str, client: IpAddr) -> Self {
        let keys = &app.limit_keys;
        AttemptKeys {
            account_from_address: keys.account_from("signin:account-address", email, client),
            address: keys.address("signin:address", client),
            account: keys.account("signin:account", email),
        }
    }

    fn all(&self) -> [&str; 3] {
        [&self.account_from_address, &self.address, &self.account]
    }
}

/// Checks an email and password and, when they match, opens a session.
pub async fn sign_in(
    app: &AppState,
    email: &str,
    password: String,
    client: IpAddr,
) -> Result<SignIn, sqlx::Error> {
    if email.len() > MAX_EMAIL_BYTES || password.len() > password::MAX_BYTES {
        return Ok(SignIn::TooLong);
    }
    let email = normalise_email(email);
    let limits = &app.settings.owners.signin;
    let keys = AttemptKeys::new(app, &email, client);
    let now = Timestamp::now();

    // A read first: an address already past a limit is refused without a write.
    let account_from_address =
        rate_limits::window_counts(&app.db, &keys.account_from_address, now).await?;
    let address = rate_limits::window_counts(&app.db, &keys.address, now).await?;
    if let Some(refusal) = refusal(limits, account_from_address, address, now) {
        return Ok(refusal);
    }
    // Counted before the check, so concurrent guesses cannot slip past a limit together; an
    // attempt that turns out over a limit is rolled back and leaves no count.
    let mut tx = app.db.begin().await?;
    let account_from_address =
        rate_limits::count_sliding(&mut tx, &keys.account_from_address, now).await?;
    let address = rate_limits::count_sliding(&mut tx, &keys.address, now).await?;
    if let Some(refusal) = refusal(
        limits,
        account_from_address.before_latest(),
        address.before_latest(),
        now,
    ) {
        return Ok(refusal);
    }
    let account = rate_limits::count_sliding(&mut tx, &keys.account, now).await?;
    tx.commit().await?;

    let elapsed = rate_limits::elapsed_in_hour(now);
    if account
        .before_latest()
        .exhausted(limits.account_slowdown_after, elapsed)
    {
        tracing::info!("sign-in attempts on one account from many addresses: slowing down");
        meters::rate_limited("signin_account_slowdown");
        tokio::time::sleep(limits.slowdown).await;
    }

    let owner = owners::find_by_email(&app.db, &email).await?;
    // Checked against a stand-in hash for an unknown email, so both answers take as long.
    let stored = owner.as_ref().map(|o| o.password_hash.clone());
    // Kept only when a match would renew an older hash.
    let candidate = stored
        .as_deref()
        .is_some_and(|hash| !password::is_current(hash))
        .then(|| password.clone());
    let matches = match password::verify(&app.hash_gate, password, stored).await {
        Ok(matches) => matches,
        Err(Busy) => {
            meters::rate_limited("signin_hash_queue");
            forgive(app, &keys, now).await?;
            return Ok(SignIn::Busy);
        }
    };
    let Some(owner) = owner.filter(|_| matches) else {
        meters::sign_in_failed();
        return Ok(SignIn::Refused);
    };
    forgive(app, &keys, now).await?;
    if let Some(candidate) = candidate {
        rehash(app, &owner, candidate).await;
    }
    let token = session::new_token();
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

/// Stores the owner's password again with today's hash parameters. A failure only leaves the
/// older hash in place, which still verifies, so it does not stop the sign-in.
async fn rehash(app: &AppState, owner: &OwnerRow, password: String) {
    let replaced = match password::hash(password).await {
        Ok(new_hash) => {
            owners::rehash_password(&app.db, &owner.id, &owner.password_hash, &new_hash)
                .await
                .map_err(|e| e.to_string())
        }
        Err(error) => Err(error.to_string()),
    };
    match replaced {
        Ok(_) => tracing::info!("an owner's password hash was renewed with today's parameters"),
        Err(error) => tracing::warn!(%error, "cannot renew an owner's password hash"),
    }
}

/// `TooManyAttempts` when either refusing limit is used up.
fn refusal(
    limits: &SignInLimits,
    account_from_address: WindowCounts,
    address: WindowCounts,
    now: Timestamp,
) -> Option<SignIn> {
    let elapsed = rate_limits::elapsed_in_hour(now);
    let by_pair = account_from_address.retry_after(limits.per_account_and_address, elapsed);
    let by_address = address.retry_after(limits.per_address, elapsed);
    let wait = by_pair.max(by_address);
    (wait > 0).then(|| {
        tracing::info!(retry_after_seconds = wait, "sign-in attempts over a limit");
        meters::rate_limited(if by_pair > 0 {
            "signin_account_address"
        } else {
            "signin_address"
        });
        SignIn::TooManyAttempts {
            retry_after_seconds: wait,
        }
    })
}

/// Takes an attempt that was not a failure back off every count.
async fn forgive(app: &AppState, keys: &AttemptKeys, now: Timestamp) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    for key in keys.all() {
        rate_limits::forgive(&mut tx, key, now).await?;
    }
    tx.commit().await
}
