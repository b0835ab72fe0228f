//! Replaying the spool: each waiting delivery, oldest first, through the same path as a live
//! one, removed from disk only once its outcome is committed. A crash between the commit and
//! the removal replays it again, which the event log's idempotency key turns into a
//! duplicate; several processes replaying the same directory are safe for the same reason.

use std::time::Duration;

use crate::ssr::{
    error::ServerError,
    spool::Spool,
    state::AppState,
    webhooks::{receipt::Receipt, receive::take_verified},
};

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Committed (applied, held, queued as a failure, or recognised as a duplicate).
    pub taken: u64,
    /// Of those, already in the database.
    pub duplicates: u64,
    /// Entries that cannot be read back or applied, moved to `set-aside/`.
    pub set_aside: u64,
}

/// Replays every entry of `spool` into the database, in arrival order. Stops at the first
/// entry the database cannot take (it is tried again on the next pass, before the others).
pub async fn replay_spool(state: &AppState, spool: &Spool) -> Result<Replayed, ServerError> {
    let _one_at_a_time = spool.replaying.lock().await;
    let mut done = Replayed::default();
    let entries = spool.entries().await.map_err(spool_fault)?;
    for entry in entries {
        let delivery = match spool.read(&entry).await.map_err(spool_fault)? {
            None => continue,
            Some(Ok(delivery)) => delivery,
            Some(Err(damage)) => {
                tracing::error!(path = %entry.path.display(), %damage, "a spooled delivery cannot be read; set aside");
                spool.set_aside(&entry).await.map_err(spool_fault)?;
                done.set_aside += 1;
                continue;
            }
        };
        match take_verified(state, &delivery.body, delivery.received_at).await {
            Ok(receipt) => {
                if receipt == Receipt::Duplicate {
                    done.duplicates += 1;
                }
                spool.remove(&entry).await.map_err(spool_fault)?;
                done.taken += 1;
            }
            Err(error) if error.is_unavailable() => return Err(error),
            Err(error) => {
                tracing::error!(path = %entry.path.display(), %error, "a spooled delivery cannot be applied; set aside");
                spool.set_aside(&entry).await.map_err(spool_fault)?;
                done.set_aside += 1;
            }
        }
    }
    if done != Replayed::default() {
        tracing::info!(?done, "replayed the webhook spool");
    }
    Ok(done)
}

fn spool_fault(error: std::io::Error) -> ServerError {
    ServerError::Spool(error.to_string())
}

/// Replays the spool at start and whenever it holds something, backing off while the
/// database is still unavailable.
pub fn spawn_spool_replay(state: AppState) {
    tokio::spawn(async move {
        const IDLE_CHECK: Duration = Duration::from_secs(10);
        const MAX_BACKOFF: Duration = Duration::from_secs(30);
        let mut backoff = Duration::from_millis(500);
        loop {
            match replay_spool(&state, &state.spool).await {
                Ok(_) => {
                    backoff = Duration::from_millis(500);
                    tokio::select! {
                        () = state.spool.added() => {}
                        () = tokio::time::sleep(IDLE_CHECK) => {}
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?backoff, "the spool cannot be replayed yet");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    });
}
