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

/// Where a logged event came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventSource {
    /// A Cal.com webhook delivery.
    Webhook,
    /// An owner's action in the review queue (a marked outcome).
    Owner,
    /// A difference from Cal.com's bookings API, found by a reconciliation pass.
    Reconcile,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Webhook => "webhook",
            EventSource::Owner => "owner",
            EventSource::Reconcile => "reconcile",
        }
    }

    pub fn parse(text: &str) -> Option<EventSource> {
        [
            EventSource::Webhook,
            EventSource::Owner,
            EventSource::Reconcile,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

crate::text_column!(EventSource, "webhook event source");

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
    pub source: EventSource,
    /// The delivery's bytes as received, for a verified delivery (owner events have none).
    pub raw_body: Option<&'a [u8]>,
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

/// Appends an event (and its raw body) unless its idempotency key is already in the log;
/// `None` for a duplicate.
pub async fn append(tx: &mut Tx, row: &EventRow<'_>) -> Result<Option<i64>, sqlx::Error> {
    let id = in_tx!(&mut *tx, conn => sqlx::query_scalar::<_, i64>(
        "insert into booking_events (idempotency_key, trigger_event, booking_uid, link_uid, \
         submission_id, status, event_at, received_at, event, source) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
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
    .bind(row.source)
    .fetch_optional(conn)
    .await)?;
    if let (Some(id), Some(body)) = (id, row.raw_body) {
        in_tx!(&mut *tx, conn => sqlx::query(
            "insert into booking_event_bodies (event_id, received_at, body) values ($1, $2, $3)",
        )
        .bind(id)
        .bind(row.received_at)
        .bind(body)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(id)
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
         join bookings b on b.booking_uid = e.link_uid \
         where e.status = 'held' and e.discarded_at is null limit 100",
    )
    .fetch_all(pool)
    .await)
}

/// Logged events with an id above `after` that belong to a lead, in id order: `(id, lead)`.
pub async fn applied_after(
    db: &Db,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (i64, String)>(
        "select id, submission_id from booking_events \
         where id > $1 and submission_id is not null order by id limit $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// One logged event, as the review queue reads it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedEvent {
    pub id: i64,
    pub idempotency_key: String,
    pub status: EventStatus,
    pub submission_id: Option<String>,
    pub link_uid: Option<String>,
    pub discarded_at: Option<DbTime>,
    pub event: String,
}

const LOGGED: &str = "select id, idempotency_key, status, submission_id, link_uid, discarded_at, \
     event from booking_events";

pub async fn by_id(db: &Db, id: i64) -> Result<Option<LoggedEvent>, sqlx::Error> {
    let sql = format!("{LOGGED} where id = $1");
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LoggedEvent>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn by_key(db: &Db, key: &str) -> Result<Option<LoggedEvent>, sqlx::Error> {
    let sql = format!("{LOGGED} where idempotency_key = $1");
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LoggedEvent>(&sql)
        .bind(key)
        .fetch_optional(pool)
        .await)
}

/// Marks a held event discarded, so it is never released to a lead; `false` unless it was
/// held and not discarded yet.
pub async fn discard_in(tx: &mut Tx, id: i64, at: DbTime) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update booking_events set discarded_at = $2 \
         where id = $1 and status = 'held' and discarded_at is null",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))
}
