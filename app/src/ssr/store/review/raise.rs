//! Raising the computed kinds of review item: each statement inserts what newly meets its
//! condition (by an index range past a watermark, or over the few held events) and leaves
//! items already raised alone (their ids are stable). A range is raised a batch at a time
//! (see [`batch_end`]), so that no statement holds SQLite's one writer for long.

use crate::ssr::db::{on_pool, Db, DbTime};

/// Raises held events received up to `cutoff` that are not failures already (an event with
/// an unknown submission id is held and queued as a failure; it is reviewed as that).
pub async fn held_events(db: &Db, cutoff: DbTime) -> Result<u64, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into review_items (id, kind, raised_at, submission_id, booking_uid, \
           trigger_event, reason) \
         select 'held:' || cast(e.id as text), 'held_event', e.received_at, null, e.booking_uid, \
           e.trigger_event, \
           'Cal.com sent ' || e.trigger_event || ' for booking ' || coalesce(e.booking_uid, '?') \
             || ', which matches no lead here, with no submission id in it' \
         from booking_events e \
         where e.status = 'held' and e.discarded_at is null and e.received_at <= $1 \
           and not exists (select 1 from webhook_failures f where f.body_sha256 = e.idempotency_key) \
         on conflict (id) do nothing",
    )
    .bind(cutoff)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Whether Cal.com has sent an outcome event (a meeting ended, a no-show) since `since`.
pub async fn outcome_event_since(db: &Db, since: DbTime) -> Result<bool, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from (select 1 from booking_events \
           where received_at >= $1 and source = 'webhook' and trigger_event in ('MEETING_ENDED', \
             'BOOKING_NO_SHOW_UPDATED', 'AFTER_HOSTS_CAL_VIDEO_NO_SHOW', \
             'AFTER_GUESTS_CAL_VIDEO_NO_SHOW') limit 1) outcome",
    )
    .bind(since)
    .fetch_one(pool)
    .await
    .map(|found| found > 0))
}

/// Raises bookings (not cancelled, rejected or awaiting the host, and without an outcome)
/// whose slot ended after `after` and up to `cutoff`.
pub async fn overdue_outcomes(
    db: &Db,
    after: DbTime,
    cutoff: DbTime,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into review_items (id, kind, raised_at, submission_id, booking_uid, \
           trigger_event, reason) \
         select 'overdue:' || l.booking_uid, 'overdue_outcome', l.booking_end, l.submission_id, \
           l.booking_uid, null, $3 \
         from leads l \
         where l.first_booked_at is not null and l.booking_end > $1 and l.booking_end <= $2 \
           and l.stage in ('booked', 'rescheduled') and l.booking_uid is not null \
           and l.erased_at is null \
         on conflict (id) do nothing",
    )
    .bind(after)
    .bind(cutoff)
    .bind(reason)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Raises leads invited after `after` and up to `cutoff` who never booked (and are not
/// waiting for the host to accept a request).
pub async fn not_booked(
    db: &Db,
    after: DbTime,
    cutoff: DbTime,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into review_items (id, kind, raised_at, submission_id, booking_uid, \
           trigger_event, reason) \
         select 'not_booked:' || l.submission_id, 'not_booked', l.invited_at, l.submission_id, \
           null, null, $3 \
         from leads l \
         where l.first_booked_at is null and l.invited_at is not null \
           and l.invited_at > $1 and l.invited_at <= $2 \
           and l.stage <> 'requested' and l.erased_at is null \
         on conflict (id) do nothing",
    )
    .bind(after)
    .bind(cutoff)
    .bind(reason)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Which time-ordered candidates a batch is counted over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidates {
    /// Bookings by the end of their slot.
    SlotsEnded,
    /// Invited leads who never booked, by when they were invited.
    Invited,
}

/// Where a batch of at most `batch` candidates after `after` (and up to `cutoff`) ends: the
/// time of its last candidate, or `cutoff` when fewer are left.
pub async fn batch_end(
    db: &Db,
    candidates: Candidates,
    (after, cutoff): (DbTime, DbTime),
    batch: i64,
) -> Result<DbTime, sqlx::Error> {
    let sql = match candidates {
        Candidates::SlotsEnded => {
            "select booking_end from leads where first_booked_at is not null \
             and booking_end > $1 and booking_end <= $2 order by booking_end limit 1 offset $3"
        }
        Candidates::Invited => {
            "select invited_at from leads where first_booked_at is null and invited_at is not null \
             and invited_at > $1 and invited_at <= $2 order by invited_at limit 1 offset $3"
        }
    };
    let end: Option<DbTime> = on_pool!(db.reads(), pool => sqlx::query_scalar(sql)
        .bind(after)
        .bind(cutoff)
        .bind(batch - 1)
        .fetch_optional(pool)
        .await)?;
    Ok(end.unwrap_or(cutoff))
}
