//! One lead with everything that happened to it: its row, its logged Cal.com events and its
//! review items (the audit trail is read from `store::audit`).

use super::list::{LeadRow, LEAD_COLUMNS};
use crate::{
    domain::review::ItemKind,
    ssr::{
        db::{on_pool, Db, DbTime},
        store::events::{EventSource, EventStatus},
    },
};

/// Every column of one lead.
pub async fn lead(db: &Db, submission_id: &str) -> Result<Option<LeadRow>, sqlx::Error> {
    let sql = format!("select {LEAD_COLUMNS} from leads l where l.submission_id = $1");
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadRow>(&sql)
        .bind(submission_id)
        .fetch_optional(pool)
        .await)
}

/// One logged event of the lead, with its body as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadEventRow {
    pub id: i64,
    pub trigger_event: String,
    pub status: EventStatus,
    pub source: EventSource,
    pub event_at: DbTime,
    pub received_at: DbTime,
    pub event: String,
    /// The delivery's bytes as received, while they are kept.
    pub raw_body: Option<Vec<u8>>,
}

/// The lead's logged events, in the order they were received.
pub async fn events(db: &Db, submission_id: &str) -> Result<Vec<LeadEventRow>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadEventRow>(
        "select e.id, e.trigger_event, e.status, e.source, e.event_at, e.received_at, e.event, \
         b.body as raw_body \
         from booking_events e left join booking_event_bodies b on b.event_id = e.id \
         where e.submission_id = $1 order by e.received_at, e.id",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await)
}

/// One review item of the lead.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadItemRow {
    pub id: String,
    pub kind: ItemKind,
    pub raised_at: DbTime,
    pub reason: String,
    pub resolved_at: Option<DbTime>,
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
}

/// The lead's review items, oldest first.
pub async fn review_items(db: &Db, submission_id: &str) -> Result<Vec<LeadItemRow>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadItemRow>(
        "select id, kind, raised_at, reason, resolved_at, resolved_by, resolution \
         from review_items where submission_id = $1 order by raised_at, id",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await)
}
