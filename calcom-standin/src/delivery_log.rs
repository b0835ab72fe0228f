//! The delivery log: every delivery attempt, its state and the app's answer, and the outbox of
//! held deliveries. Shared behind its own mutex, never kept across an `await`.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Being sent now.
    Sending,
    /// Waiting for its delay.
    Scheduled,
    /// In the outbox.
    Held,
    Dropped,
    /// The app answered (any status).
    Sent,
    /// No answer: connection refused, timeout…
    Failed,
}

/// One delivery attempt (a `twice` delivery is two records with the same body).
#[derive(Clone, Debug, Serialize)]
pub struct DeliveryRecord {
    pub id: u64,
    pub trigger: String,
    pub booking_uid: Option<String>,
    pub state: DeliveryState,
    /// Whether the signature was made with the configured secret.
    pub signed_with_secret: bool,
    pub signature: String,
    /// The app's HTTP status.
    pub status: Option<u16>,
    /// The app's answer body (capped).
    pub answer: Option<String>,
    pub error: Option<String>,
    pub body: String,
}

/// The records and the outbox.
#[derive(Debug, Default)]
pub struct Deliveries {
    records: Vec<DeliveryRecord>,
    /// Ids of held deliveries, oldest first.
    pub outbox: Vec<u64>,
}

impl Deliveries {
    pub fn all(&self) -> &[DeliveryRecord] {
        &self.records
    }

    /// Logs a delivery and returns its id.
    pub fn record(&mut self, mut record: DeliveryRecord) -> u64 {
        let id = self.records.len() as u64 + 1;
        record.id = id;
        self.records.push(record);
        id
    }

    pub fn get(&self, id: u64) -> Option<&DeliveryRecord> {
        self.records.iter().find(|d| d.id == id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut DeliveryRecord> {
        self.records.iter_mut().find(|d| d.id == id)
    }

    /// Forgets every record and the outbox.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

/// A handle to the log, cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct DeliveryLog {
    deliveries: Arc<Mutex<Deliveries>>,
}

impl DeliveryLog {
    /// The log. A panic while it was held cannot leave it half-updated in a way that matters
    /// to a test double, so a poisoned lock is simply taken over.
    pub fn lock(&self) -> MutexGuard<'_, Deliveries> {
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
