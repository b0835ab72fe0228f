//! The event log of verified webhook deliveries: one row per distinct body, `applied` to its
//! lead or `held` until its booking is known.

use crate::{
    domain::booking::BookingEvent,
    ssr::{
        db::{in_tx, on_pool, Db, DbTime, Tx},
        error::ServerError,
    },
};

/// Where a logged event stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    /// Folded into its lead's booking fields.
    Applied,
    /// Waiting for its booking uid to become known.
    Held,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Applied => "applied",
            EventStatus::Held => "held",
        }
    }

    pub fn parse(text: &str) -> Option<EventStatus> {
        [EventStatus::Applied, EventStatus::Held]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

crate::text_column!(EventStatus, "webhook event status");

/// One event as the log keeps it.
#[derive(Clone, Copy, Debug)]
pub struct EventRow<'a> {
    /// Derived from the body: a byte-identical re-delivery has the same key.
    pub idempotency_key: &'a str,
    pub trigger: &'a str,
    pub booking_uid: Option<&'a str>,
    /// The uid that must be known for the event to find its lead.
    pub link_uid: Option<&'a str>,
    /// The lead it applies to; `None` while it is held.
    pub submission_id: Option<&'a str>,
    pub event_at: DbTime,
    pub received_at: DbTime,
    /// The event as JSON ([`BookingEvent`], or a ping's trigger).
    pub json: &'a str,
}

impl EventRow<'_> {
    pub fn status(&self) -> EventStatus {
        if self.submission_id.is_some() || self.link_uid.is_none() {
            EventStatus::Applied
        } else {
            EventStatus::Held
        }
    }
}

/// Appends an event unless its idempotency key is already in the log; `None` for a
/// duplicate.
pub async fn append(tx: &mut Tx, row: &EventRow<'_>) -> Result<Option<i64>, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "insert into booking_events (idempotency_key, trigger_event, booking_uid, link_uid, \
         submission_id, status, event_at, received_at, event) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         on conflict (idempotency_key) do nothing returning id",
    )
    .bind(row.idempotency_key)
    .bind(row.trigger)
    .bind(row.booking_uid)
    .bind(row.link_uid)
    .bind(row.submission_id)
    .bind(row.status())
    .bind(row.event_at)
    .bind(row.received_at)
    .bind(row.json)
    .fetch_optional(conn)
    .await)
}

/// Reads an event the log stored as JSON.
pub fn decode_event(json: &str) -> Result<BookingEvent, ServerError> {
    serde_json::from_str(json).map_err(|e| ServerError::corrupt("webhook event", e))
}

/// Uids that have events held for them and are now known, with their lead (for the sweep
/// that catches a hold that raced the link).
// `status = 'held'` is spelt out in SQL wherever it is filtered on: it must match the partial
// index `booking_events_held_link_uid_idx`, which a bound parameter would not use.
pub async fn held_but_known(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, String)>(
        "select distinct e.link_uid, b.submission_id from booking_events e \
         join bookings b on b.booking_uid = e.link_uid where e.status = 'held' limit 100",
    )
    .fetch_all(pool)
    .await)
}
