//! What the data-trust panel reads: unresolved failed deliveries, when the last event arrived,
//! and whether any booking exists. Must equal `domain::metrics::FeedHealth::of`.

use crate::{
    domain::metrics::FeedHealth,
    ssr::db::{on_pool, Db, DbTime},
};

pub async fn feed_health(db: &Db) -> Result<FeedHealth, sqlx::Error> {
    let (unresolved_failures, last_event_at, bookings): (i64, Option<DbTime>, i64) = on_pool!(db.reads(), pool => sqlx::query_as(
            "select \
               (select count(*) from webhook_failures where resolved_at is null), \
               (select max(received_at) from booking_events), \
               (select count(*) from (select 1 from leads where first_booked_at is not null limit 1) b)",
        )
        .fetch_one(pool)
        .await)?;
    Ok(FeedHealth {
        unresolved_failures,
        last_event_at: last_event_at.map(DbTime::timestamp),
        has_bookings: bookings > 0,
    })
}
