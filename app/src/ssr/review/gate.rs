//! One refresh of the review queue at a time per process, and none when the last one is
//! recent.

use std::time::{Duration, Instant};

use tokio::sync::{Mutex, MutexGuard};

/// When this process last brought the review queue up to date.
#[derive(Debug, Default)]
pub struct RefreshGate {
    last: Mutex<Option<Instant>>,
}

/// The turn to refresh, held while refreshing.
pub struct RefreshTurn<'a>(MutexGuard<'a, Option<Instant>>);

impl RefreshGate {
    /// The turn to refresh when the last refresh is older than `fresh_for` (waiting for one
    /// in progress); `None` when the queue is fresh.
    pub async fn stale(&self, fresh_for: Duration) -> Option<RefreshTurn<'_>> {
        let last = self.last.lock().await;
        match *last {
            Some(at) if at.elapsed() < fresh_for => None,
            _ => Some(RefreshTurn(last)),
        }
    }
}

impl RefreshTurn<'_> {
    /// The refresh is done: the queue is fresh from now.
    pub fn done(mut self) {
        *self.0 = Some(Instant::now());
    }
}
