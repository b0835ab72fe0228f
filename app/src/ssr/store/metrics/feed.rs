//! What the data-trust panel reads: the open failed deliveries, held events and overdue
//! outcomes of the review queue, when the last event arrived, and whether any booking
//! exists. Must equal `domain::metrics::FeedHealth::of`.

use crate::{
    domain::metrics::FeedHealth,
    ssr::db::{on_pool, Db, DbTime},
};

type FeedRow = (i64, i64, i64, Option<DbTime>, i64);

/// The open items of one kind (a snoozed item is not open until its snooze ends at `$1`).
fn open_items(kind: &str) -> String {
    format!(
        "(select count(*) from review_items where kind = '{kind}' and resolved_at is null \
         and (snoozed_until is null or snoozed_until <= $1))"
    )
}

/// The feed's health at `now`.
pub async fn feed_health(db: &Db, now: DbTime) -> Result<FeedHealth, sqlx::Error> {
    let sql = format!(
        "select {}, {}, {}, (select max(received_at) from booking_events), \
           (select count(*) from (select 1 from leads where first_booked_at is not null limit 1) b)",
        open_items("failed_delivery"),
        open_items("held_event"),
        open_items("overdue_outcome"),
    );
    let (open_failures, open_held, open_overdue, last_event_at, bookings): FeedRow =
        on_pool!(db.reads(), pool => sqlx::query_as(&sql).bind(now).fetch_one(pool).await)?;
    Ok(FeedHealth {
        open_failures,
        open_held,
        open_overdue,
        last_event_at: last_event_at.map(DbTime::timestamp),
        has_bookings: bookings > 0,
    })
}
