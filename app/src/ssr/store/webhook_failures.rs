//! The webhook-failure queue: verified deliveries that could not be applied to a lead, kept
//! with their bytes exactly as received, for the review queue. The queue is bounded in rows
//! and bytes; past the bound, deliveries are only counted. Every delivery that was not
//! applied is counted by reason either way (refused signatures are counted in memory, not
//! here: see `webhooks::refusals`).

use crate::{
    domain::delivery::FailureReason,
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

crate::text_column!(FailureReason, "webhook failure reason");

/// The queue's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueLimits {
    pub max_rows: i64,
    pub max_bytes: i64,
}

/// One delivery to record.
#[derive(Clone, Debug)]
pub struct Failure<'a> {
    pub reason: FailureReason,
    pub trigger: Option<&'a str>,
    pub booking_uid: Option<&'a str>,
    /// The body exactly as delivered.
    pub raw_body: &'a [u8],
    pub body_sha256: &'a str,
    pub received_at: DbTime,
}

/// What became of a recorded failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Stored under this id.
    Stored(i64),
    /// The same body was queued before (and may have been resolved since).
    AlreadyQueued,
    /// The queue is full; only the count went up.
    Dropped,
}

/// Counts a delivery under `reason`, in the caller's transaction.
pub async fn count_in(tx: &mut Tx, reason: FailureReason, at: DbTime) -> Result<(), sqlx::Error> {
    in_tx!(&mut *tx, conn => sqlx::query(
        "insert into webhook_rejections (reason, deliveries, last_at) values ($1, 1, $2) \
         on conflict (reason) do update set deliveries = webhook_rejections.deliveries + 1, \
         last_at = excluded.last_at",
    )
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// [`record_in`] in a transaction of its own.
pub async fn record(
    db: &Db,
    failure: &Failure<'_>,
    limits: QueueLimits,
) -> Result<Recorded, sqlx::Error> {
    let mut tx = db.begin().await?;
    let recorded = record_in(&mut tx, failure, limits).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Counts the delivery under its reason and, if the same body is not queued yet and the queue
/// has room, stores it. A body already queued answers `AlreadyQueued` even when the queue is
/// full.
pub async fn record_in(
    tx: &mut Tx,
    failure: &Failure<'_>,
    limits: QueueLimits,
) -> Result<Recorded, sqlx::Error> {
    count_in(tx, failure.reason, failure.received_at).await?;

    let stored_bytes = i64::try_from(failure.raw_body.len()).unwrap_or(i64::MAX);
    // The quota row is the queue's one lock: it is checked and moved in the same statement.
    let room = in_tx!(&mut *tx, conn => sqlx::query(
        "update webhook_failure_quota set stored_rows = stored_rows + 1, \
         stored_bytes = stored_bytes + $1 \
         where id = 1 and stored_rows < $2 and stored_bytes + $1 <= $3",
    )
    .bind(stored_bytes)
    .bind(limits.max_rows)
    .bind(limits.max_bytes)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))?;
    let recorded = if room {
        // The unique index on the hash decides whether the body is queued already, so two
        // racing re-deliveries cannot both be stored.
        let id: Option<i64> = in_tx!(&mut *tx, conn => sqlx::query_scalar(
            "insert into webhook_failures (received_at, reason, trigger_event, booking_uid, body, \
             raw_body, body_bytes, body_truncated, body_sha256) \
             values ($1, $2, $3, $4, '', $5, $6, false, $7) \
             on conflict (body_sha256) do nothing returning id",
        )
        .bind(failure.received_at)
        .bind(failure.reason)
        .bind(failure.trigger)
        .bind(failure.booking_uid)
        .bind(failure.raw_body)
        .bind(stored_bytes)
        .bind(failure.body_sha256)
        .fetch_optional(conn)
        .await)?;
        match id {
            Some(id) => Recorded::Stored(id),
            None => {
                in_tx!(&mut *tx, conn => sqlx::query(
                    "update webhook_failure_quota set stored_rows = stored_rows - 1, \
                     stored_bytes = stored_bytes - $1 where id = 1",
                )
                .bind(stored_bytes)
                .execute(conn)
                .await
                .map(|_| ()))?;
                Recorded::AlreadyQueued
            }
        }
    } else {
        // Full: a body queued before is still queued, not dropped.
        let queued: Option<i64> = in_tx!(&mut *tx, conn => sqlx::query_scalar(
            "select id from webhook_failures where body_sha256 = $1",
        )
        .bind(failure.body_sha256)
        .fetch_optional(conn)
        .await)?;
        if queued.is_some() {
            return Ok(Recorded::AlreadyQueued);
        }
        in_tx!(&mut *tx, conn => sqlx::query(
            "update webhook_failure_quota set dropped = dropped + 1 where id = 1",
        )
        .execute(conn)
        .await
        .map(|_| ()))?;
        Recorded::Dropped
    };
    Ok(recorded)
}

/// The queue's size and what it had to drop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueUsage {
    pub stored_rows: i64,
    pub stored_bytes: i64,
    pub dropped: i64,
}

pub async fn usage(db: &Db) -> Result<QueueUsage, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, QueueUsage>(
        "select stored_rows, stored_bytes, dropped from webhook_failure_quota where id = 1",
    )
    .fetch_one(pool)
    .await)
}

/// A queued failure's body as received and its hash (the idempotency key its event has).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFailure {
    pub id: i64,
    pub reason: FailureReason,
    pub raw_body: Option<Vec<u8>>,
    /// What older rows kept instead of the raw bytes: a text prefix.
    pub body: String,
    pub body_sha256: Option<String>,
    pub resolved_at: Option<DbTime>,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<StoredFailure>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, StoredFailure>(
        "select id, reason, raw_body, body, body_sha256, resolved_at from webhook_failures \
         where id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// Marks a failure resolved (`linked`, `discarded`…), in the caller's transaction.
pub async fn resolve_in(
    tx: &mut Tx,
    id: i64,
    resolution: &str,
    at: DbTime,
) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update webhook_failures set resolved_at = $2, resolution = $3 \
         where id = $1 and resolved_at is null",
    )
    .bind(id)
    .bind(at)
    .bind(resolution)
    .execute(conn)
    .await
    .map(|_| ()))
}
