//! The webhook-failure queue: deliveries that could not be applied to a lead, kept (with a
//! capped body) for manual reconciliation. The queue is bounded in rows and bytes; past the
//! bound, deliveries are only counted. Every rejection is counted by reason either way.

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
    /// The body as it will be stored (already capped).
    pub body: &'a str,
    /// The full size of the delivered body.
    pub body_bytes: i64,
    pub body_truncated: bool,
    pub body_sha256: &'a str,
    pub received_at: DbTime,
}

/// What became of a recorded failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    Stored,
    /// The same body is already in the queue.
    AlreadyQueued,
    /// The queue is full; only the count went up.
    Dropped,
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
/// has room, stores it.
pub async fn record_in(
    tx: &mut Tx,
    failure: &Failure<'_>,
    limits: QueueLimits,
) -> Result<Recorded, sqlx::Error> {
    in_tx!(&mut *tx, conn => sqlx::query(
        "insert into webhook_rejections (reason, deliveries, last_at) values ($1, 1, $2) \
         on conflict (reason) do update set deliveries = webhook_rejections.deliveries + 1, \
         last_at = excluded.last_at",
    )
    .bind(failure.reason)
    .bind(failure.received_at)
    .execute(conn)
    .await
    .map(|_| ()))?;

    let queued: Option<i64> = in_tx!(&mut *tx, conn => sqlx::query_scalar(
        "select id from webhook_failures where body_sha256 = $1 and resolved_at is null limit 1",
    )
    .bind(failure.body_sha256)
    .fetch_optional(conn)
    .await)?;
    if queued.is_some() {
        return Ok(Recorded::AlreadyQueued);
    }

    let stored_bytes = failure.body.len() as i64;
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
        in_tx!(&mut *tx, conn => sqlx::query(
            "insert into webhook_failures (received_at, reason, trigger_event, booking_uid, body, \
             body_bytes, body_truncated, body_sha256) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(failure.received_at)
        .bind(failure.reason)
        .bind(failure.trigger)
        .bind(failure.booking_uid)
        .bind(failure.body)
        .bind(failure.body_bytes)
        .bind(failure.body_truncated)
        .bind(failure.body_sha256)
        .execute(conn)
        .await
        .map(|_| ()))?;
        Recorded::Stored
    } else {
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
