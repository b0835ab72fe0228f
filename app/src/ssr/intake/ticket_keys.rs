//! The form signing keys as the database holds them: read at start, and read again every
//! minute so a rotation (`server rotate-keys`) reaches every running process. The key before
//! the last rotation keeps verifying until the next one: a form shown with it is taken while
//! young, and comes back renewed (never dropped as forged) once older than
//! `INTAKE_TICKET_MAX_AGE_HOURS`. `rotate-keys` therefore refuses to rotate again within that
//! time, when forms signed with the oldest key could still be open.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::ssr::{
    db::Db, error::ServerError, intake::ticket::TicketKeys, state::AppState, store::signing_keys,
};

/// The name the form signing key is stored under.
pub const TICKET_KEY_NAME: &str = "intake-ticket";

/// How often running processes read the keys again.
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The keys to sign and verify with.
pub async fn load(db: &Db) -> Result<TicketKeys, ServerError> {
    let stored = signing_keys::get_with_previous(db, TICKET_KEY_NAME).await?;
    Ok(TicketKeys {
        current: stored.current,
        previous: stored.previous.map(|(key, _)| key),
    })
}

/// Whether rotating now would leave forms that are still open without a key (the previous
/// rotation is younger than a ticket's lifetime): the time it becomes safe, or `None`.
pub async fn too_soon_to_rotate(
    db: &Db,
    ticket_max_age: Duration,
    now: Timestamp,
) -> Result<Option<Timestamp>, ServerError> {
    let stored = signing_keys::get_with_previous(db, TICKET_KEY_NAME).await?;
    let lifetime = SignedDuration::try_from(ticket_max_age).unwrap_or(SignedDuration::MAX);
    Ok(stored
        .previous
        .and_then(|(_, rotated_at)| rotated_at.timestamp().checked_add(lifetime).ok())
        .filter(|safe_at| *safe_at > now))
}

/// Reads the keys again and hands them to the signer.
pub async fn refresh(state: &AppState) -> Result<(), ServerError> {
    state.ticket_signer.replace(load(&state.db).await?);
    Ok(())
}

/// Refreshes the keys every [`REFRESH_EVERY`].
pub fn spawn_refresh(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(REFRESH_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(error) = refresh(&state).await {
                tracing::warn!(%error, "cannot read the form signing keys again");
            }
        }
    });
}
