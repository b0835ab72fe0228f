//! Resolving items whose condition cleared by itself: a held event applied once its booking
//! became known, a failure whose event reached its lead after all, a slot whose outcome
//! arrived (or that was cancelled or moved), a lead who booked after all, a booking Cal.com
//! listed without a lead that reached one.

use crate::ssr::db::{on_pool, Db, DbTime};

/// Who resolves an item that cleared by itself.
pub const AUTOMATION: &str = "automation";

/// Over every open held event and failure (there are few: the failure queue is bounded).
const SWEEPS: [&str; 3] = [
    // `held:<event id>`: the event left the held state.
    "update review_items set resolved_at = $1, resolved_by = 'automation', resolution = 'applied' \
     where kind = 'held_event' and resolved_at is null and exists ( \
       select 1 from booking_events e where e.id = cast(substr(review_items.id, 6) as bigint) \
       and (e.status <> 'held' or e.discarded_at is not null))",
    // `failure:<failure id>`: the same body was applied to a lead.
    "update review_items set resolved_at = $1, resolved_by = 'automation', resolution = 'applied' \
     where kind = 'failed_delivery' and resolved_at is null and exists ( \
       select 1 from webhook_failures f join booking_events e on e.idempotency_key = f.body_sha256 \
       where f.id = cast(substr(review_items.id, 9) as bigint) \
       and e.status = 'applied' and e.submission_id is not null)",
    // `unlinked:<booking uid>`: the booking joined a lead's chain (a delivery or a link).
    "update review_items set resolved_at = $1, resolved_by = 'automation', resolution = 'linked' \
     where kind = 'unlinked_booking' and resolved_at is null and exists ( \
       select 1 from bookings b where b.booking_uid = review_items.booking_uid)",
];

/// Over the open items of leads whose event log gained an id in `$2 < id ≤ $3` (there may be
/// tens of thousands of follow-ups open; only a lead that changed can have cleared one).
const LEAD_SWEEPS: [&str; 2] = [
    "update review_items set resolved_at = $1, resolved_by = 'automation', \
       resolution = 'outcome_or_change_arrived' \
     where kind = 'overdue_outcome' and resolved_at is null \
       and submission_id in (select submission_id from booking_events where id > $2 and id <= $3) \
       and exists (select 1 from leads l where l.submission_id = review_items.submission_id \
         and (l.stage not in ('booked', 'rescheduled') or l.booking_uid is null \
           or l.booking_uid <> review_items.booking_uid))",
    "update review_items set resolved_at = $1, resolved_by = 'automation', resolution = 'booked' \
     where kind = 'not_booked' and resolved_at is null \
       and submission_id in (select submission_id from booking_events where id > $2 and id <= $3) \
       and exists (select 1 from leads l where l.submission_id = review_items.submission_id \
         and (l.first_booked_at is not null or l.stage = 'requested'))",
];

/// Resolves every open held event and failure whose condition cleared; answers how many.
pub async fn cleared(db: &Db, now: DbTime) -> Result<u64, sqlx::Error> {
    let mut resolved = 0;
    for sql in SWEEPS {
        resolved += on_pool!(db.writes(), pool => sqlx::query(sql)
            .bind(now)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
    }
    Ok(resolved)
}

/// Resolves the open differences from Cal.com of booking `uid`: a pass found the lead agreeing
/// with Cal.com again (an owner took its state, a later webhook settled it). Answers how many.
pub async fn agreed_with_calcom(db: &Db, uid: &str, now: DbTime) -> Result<u64, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "update review_items set resolved_at = $1, resolved_by = 'automation', \
           resolution = 'agrees_with_calcom' \
         where kind = 'calcom_mismatch' and resolved_at is null and booking_uid = $2",
    )
    .bind(now)
    .bind(uid)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Resolves the overdue and follow-up items that cleared for leads whose event log gained an
/// id in `after < id ≤ up_to`; answers how many.
pub async fn cleared_for_changed_leads(
    db: &Db,
    now: DbTime,
    (after, up_to): (i64, i64),
) -> Result<u64, sqlx::Error> {
    let mut resolved = 0;
    for sql in LEAD_SWEEPS {
        resolved += on_pool!(db.writes(), pool => sqlx::query(sql)
            .bind(now)
            .bind(after)
            .bind(up_to)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
    }
    Ok(resolved)
}
