//! The raw bytes of verified deliveries, kept beside their event-log rows: read back to parse
//! events again after a parser fix, pruned once past their retention.

use crate::ssr::db::{on_pool, Db, DbTime};

/// A logged event with its delivery's bytes.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredBody {
    pub event_id: i64,
    pub submission_id: Option<String>,
    pub event: String,
    pub received_at: DbTime,
    pub body: Vec<u8>,
}

/// The events received at or after `since` that still have their bytes, by id after
/// `after_id`, at most `limit`.
pub async fn page_since(
    db: &Db,
    since: DbTime,
    after_id: i64,
    limit: i64,
) -> Result<Vec<StoredBody>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, StoredBody>(
        "select b.event_id, e.submission_id, e.event, b.received_at, b.body \
         from booking_event_bodies b join booking_events e on e.id = b.event_id \
         where b.received_at >= $1 and b.event_id > $2 and e.source = 'webhook' \
         order by b.event_id limit $3",
    )
    .bind(since)
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// The fields of a logged event that come from its body, parsed again.
pub struct Reparsed<'a> {
    pub trigger: &'a str,
    pub booking_uid: Option<&'a str>,
    pub link_uid: Option<&'a str>,
    pub event_at: DbTime,
    pub json: &'a str,
}

/// Rewrites what was parsed from event `id`'s body; `true` when the row changed.
pub async fn rewrite_parsed(db: &Db, id: i64, parsed: &Reparsed<'_>) -> Result<bool, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "update booking_events set trigger_event = $2, booking_uid = $3, link_uid = $4, \
         event_at = $5, event = $6 where id = $1 and event <> $6",
    )
    .bind(id)
    .bind(parsed.trigger)
    .bind(parsed.booking_uid)
    .bind(parsed.link_uid)
    .bind(parsed.event_at)
    .bind(parsed.json)
    .execute(pool)
    .await
    .map(|done| done.rows_affected() == 1))
}

/// Deletes bodies received before `before`, a batch at a time so no statement holds the
/// writer for long; answers how many went.
pub async fn prune(db: &Db, before: DbTime) -> Result<u64, sqlx::Error> {
    const BATCH: i64 = 5_000;
    let mut pruned = 0;
    loop {
        let deleted = on_pool!(db.writes(), pool => sqlx::query(
            "delete from booking_event_bodies where event_id in ( \
               select event_id from booking_event_bodies where received_at < $1 limit $2)",
        )
        .bind(before)
        .bind(BATCH)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        pruned += deleted;
        if deleted < BATCH as u64 {
            return Ok(pruned);
        }
    }
}
