//! The form signing keys as the database holds them: read at start, and read again every
//! minute so a rotation (`server rotate-keys`) reaches every running process, and a rotated-out
//! key stops verifying once its grace period (`INTAKE_TICKET_MAX_AGE_HOURS`: any ticket it
//! signed has expired by then) is over.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::ssr::{
    db::Db, error::ServerError, intake::ticket::TicketKeys, state::AppState, store::signing_keys,
};

/// The name the form signing key is stored under.
pub const TICKET_KEY_NAME: &str = "intake-ticket";

/// How often running processes read the keys again.
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The keys to sign and verify with at `now`: the previous key only within `grace` of its
/// rotation.
pub async fn load(db: &Db, grace: Duration, now: Timestamp) -> Result<TicketKeys, ServerError> {
    let stored = signing_keys::get_with_previous(db, TICKET_KEY_NAME).await?;
    let grace = SignedDuration::try_from(grace).unwrap_or(SignedDuration::MAX);
    let previous = stored
        .previous
        .filter(|(_, rotated_at)| now.duration_since(rotated_at.timestamp()) < grace)
        .map(|(key, _)| key);
    Ok(TicketKeys {
        current: stored.current,
        previous,
    })
}

/// Reads the keys again and hands them to the signer.
pub async fn refresh(state: &AppState) -> Result<(), ServerError> {
    let keys = load(
        &state.db,
        state.settings.intake.ticket_max_age,
        Timestamp::now(),
    )
    .await?;
    state.ticket_signer.replace(keys);
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
