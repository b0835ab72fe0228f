//! Bounds on the webhook route. Reading and verifying a body is the part anyone on the
//! internet can make the server do, so at most `WEBHOOK_MAX_CONCURRENT` requests do it at once
//! (which also caps the body bytes in memory); the rest wait their turn. A delivery whose
//! signature holds then gives its reading turn back and takes one of as many verified turns,
//! which unsigned or mis-signed requests never reach, so verified bodies in memory are bounded
//! too. A lead's first event goes to the batching writer, which holds a connection or two
//! whatever the number of deliveries waiting; every other database step of a delivery takes a
//! database turn, at most its share of the connection pool. However hard the route is flooded,
//! real deliveries have turns of their own, and pages and forms keep the rest of the pool.

use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug)]
pub struct WebhookGate {
    reading: Semaphore,
    verified: Semaphore,
    database: Semaphore,
}

impl WebhookGate {
    /// `reading` bodies read and checked at once (and as many verified ones held); `database`
    /// deliveries at the database outside the first-event writer.
    pub fn new(reading: usize, database: usize) -> Self {
        WebhookGate {
            reading: Semaphore::new(reading.max(1)),
            verified: Semaphore::new(reading.max(1)),
            database: Semaphore::new(database.max(1)),
        }
    }

    /// A turn to read and check one body.
    pub async fn read_turn(&self) -> SemaphorePermit<'_> {
        acquire(&self.reading).await
    }

    /// A turn to hold a verified delivery's body while it is settled.
    pub async fn verified_turn(&self) -> SemaphorePermit<'_> {
        acquire(&self.verified).await
    }

    /// A turn at the database's pool for one verified delivery's reads and writes.
    pub async fn database_turn(&self) -> SemaphorePermit<'_> {
        acquire(&self.database).await
    }

    /// Turns free right now: reading, verified, at the database.
    pub fn free_turns(&self) -> (usize, usize, usize) {
        (
            self.reading.available_permits(),
            self.verified.available_permits(),
            self.database.available_permits(),
        )
    }
}

async fn acquire(turns: &Semaphore) -> SemaphorePermit<'_> {
    turns
        .acquire()
        .await
        .unwrap_or_else(|_| unreachable!("the gate's semaphores are never closed"))
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
    async fn verified_and_database_turns_are_not_taken_by_readers() {
        let gate = WebhookGate::new(2, 1);
        let _a = gate.read_turn().await;
        let _b = gate.read_turn().await;
        assert_eq!(gate.free_turns(), (0, 2, 1));
        let verified = gate.verified_turn().await;
        let database = gate.database_turn().await;
        assert_eq!(gate.free_turns(), (0, 1, 0));
        drop((verified, database));
        assert_eq!(gate.free_turns(), (0, 2, 1));
    }
}
