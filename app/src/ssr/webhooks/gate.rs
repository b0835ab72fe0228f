//! Two bounds on the webhook route. Reading and verifying a body is the part anyone on the
//! internet can make the server do, so at most `WEBHOOK_MAX_CONCURRENT` requests do it at once
//! (which also caps the body bytes in memory); the rest wait their turn. A delivery whose
//! signature holds then gives its reading turn back and takes one of the verified turns,
//! which unsigned or mis-signed requests never reach: however hard the route is flooded, the
//! database work of real deliveries has turns of its own, and never more than its share of
//! the connection pool.

use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug)]
pub struct WebhookGate {
    reading: Semaphore,
    verified: Semaphore,
}

impl WebhookGate {
    /// `reading` bodies read and checked at once; `verified` deliveries at the database.
    pub fn new(reading: usize, verified: usize) -> Self {
        WebhookGate {
            reading: Semaphore::new(reading.max(1)),
            verified: Semaphore::new(verified.max(1)),
        }
    }

    /// A turn to read and check one body.
    pub async fn read_turn(&self) -> SemaphorePermit<'_> {
        self.reading
            .acquire()
            .await
            .unwrap_or_else(|_| unreachable!("the gate's semaphores are never closed"))
    }

    /// A turn at the database for a verified delivery.
    pub async fn verified_turn(&self) -> SemaphorePermit<'_> {
        self.verified
            .acquire()
            .await
            .unwrap_or_else(|_| unreachable!("the gate's semaphores are never closed"))
    }

    /// Turns free right now, for reading and for verified deliveries.
    pub fn free_turns(&self) -> (usize, usize) {
        (
            self.reading.available_permits(),
            self.verified.available_permits(),
        )
    }
}

impl Default for WebhookGate {
    fn default() -> Self {
        WebhookGate::new(64, 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verified_turns_are_not_taken_by_readers() {
        let gate = WebhookGate::new(2, 1);
        let _a = gate.read_turn().await;
        let _b = gate.read_turn().await;
        assert_eq!(gate.free_turns(), (0, 1));
        let verified = gate.verified_turn().await;
        assert_eq!(gate.free_turns(), (0, 0));
        drop(verified);
        assert_eq!(gate.free_turns(), (0, 1));
    }
}
