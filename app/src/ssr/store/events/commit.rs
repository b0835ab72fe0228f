//! Writing an application of events: the lead's booking fields from its folded history, the
//! new event, the uids it links and the held events it releases, all at once and only if the
//! lead is still at the version its events were read at (else the caller reads and plans
//! again). Concurrent events for one lead, in one process or many, serialise by retrying.

use std::sync::LazyLock;

use sqlx::PgPool;

use crate::{
    domain::booking::BookingProjection,
    ssr::{
        db::{in_tx, Db, DbTime, Tx},
        store::events::log::{append, EventRow},
    },
};

/// Everything one application of events writes.
#[derive(Clone, Debug)]
pub struct ApplyPlan<'a> {
    pub submission_id: &'a str,
    /// The lead version the plan was computed from.
    pub event_version: i64,
    /// The new event, if the plan logs one (a sweep of held events does not).
    pub new_event: Option<EventRow<'a>>,
    /// Booking uids to link to the lead: `(uid, rescheduled_from)`.
    pub links: Vec<(String, Option<String>)>,
    /// Held events to apply to the lead.
    pub release: Vec<i64>,
    pub projection: &'a BookingProjection,
    pub now: DbTime,
}

/// Whether a plan landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    Done,
    /// The lead changed since it was read: read again and re-plan.
    Conflict,
}

const SET_PROJECTION: &str = "stage = $3, booking_status = $4, booking_uid = $5, \
    booking_start = $6, booking_end = $7, attendee_time_zone = $8, location = $9, \
    first_booked_at = $10, reschedule_count = $11, cancellation_reason = $12, last_event = $13, \
    last_event_at = $14, event_version = event_version + 1";

macro_rules! bind_projection {
    ($query:expr, $plan:expr) => {{
        let p = $plan.projection;
        let time = |t: Option<jiff::Timestamp>| t.map(DbTime::new);
        $query
            .bind($plan.submission_id)
            .bind($plan.event_version)
            .bind(p.stage)
            .bind(p.booking_status)
            .bind(p.booking_uid.clone())
            .bind(time(p.booking_start))
            .bind(time(p.booking_end))
            .bind(p.attendee_time_zone.clone())
            .bind(p.location.clone())
            .bind(time(p.first_booked_at))
            .bind(p.reschedule_count)
            .bind(p.cancellation_reason.clone())
            .bind(p.last_event.clone())
            .bind(time(p.last_event_at))
    }};
}

/// PostgreSQL's one-statement commit of a plan. Every part hangs off `moved`: if the lead
/// moved on, or an event was held for one of the plan's uids since it was read, nothing is
/// written. The usual plan releases no held events, and its statement leaves that part out.
fn pg_commit_sql(releasing: bool) -> String {
    let (held_guard, release, released_count) = if releasing {
        (
            "and id <> all($26::bigint[])",
            ", released as ( \
               update booking_events set status = 'applied', submission_id = $1 \
               where id = any($26::bigint[]) and status = 'held' and discarded_at is null \
               and exists (select 1 from moved) returning id)",
            "(select count(*) from released)",
        )
    } else {
        ("", "", "0::bigint")
    };
    format!(
        "with moved as ( \
           update leads set {SET_PROJECTION} \
           where submission_id = $1 and event_version = $2 \
           and not exists (select 1 from booking_events where status = 'held' \
             and discarded_at is null and link_uid = any($22::text[]) {held_guard}) \
           returning submission_id), \
         logged as ( \
           insert into booking_events (idempotency_key, trigger_event, booking_uid, \
             link_uid, submission_id, status, event_at, received_at, event, source) \
           select $15, $16, $17, $18, $1, 'applied', $19, $20, $21, $24 from moved \
           where $15 is not null \
           on conflict (idempotency_key) do nothing returning id), \
         kept as ( \
           insert into booking_event_bodies (event_id, received_at, body) \
           select id, $20, $25 from logged where $25::bytea is not null), \
         linked as ( \
           insert into bookings (booking_uid, submission_id, rescheduled_from, linked_at) \
           select l.uid, $1, l.from_uid, $20 \
           from unnest($22::text[], $23::text[]) as l(uid, from_uid), moved \
           on conflict (booking_uid) do nothing returning booking_uid){release} \
         select (select count(*) from moved), (select count(*) from logged), \
                (select count(*) from linked), {released_count}"
    )
}

static PG_COMMIT: LazyLock<String> = LazyLock::new(|| pg_commit_sql(false));
static PG_COMMIT_RELEASING: LazyLock<String> = LazyLock::new(|| pg_commit_sql(true));

/// Writes a plan atomically, if the lead is still at `plan.event_version`.
// PostgreSQL keeps its one-statement commit because it is measurably faster than the same
// plan as a transaction of plain statements (one round trip instead of five or more):
// `bench --bin webhooks --backend postgres`, first deliveries, four interleaved pairs of
// runs on one loaded 2-core machine (2026-12-01): one statement 1,801–2,548/s (p50
// 11.8–17.2 ms), transaction 1,348–1,744/s (p50 17.8–23.0 ms).
pub async fn commit_applied(db: &Db, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
    match db {
        Db::Postgres(pg) => commit_in_one_statement(pg, plan).await,
        Db::Sqlite(_) => commit_in_transaction(db, plan).await,
    }
}

/// PostgreSQL: the plan as one statement, [`pg_commit_sql`].
async fn commit_in_one_statement(pg: &PgPool, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
    let sql: &str = if plan.release.is_empty() {
        &PG_COMMIT
    } else {
        &PG_COMMIT_RELEASING
    };
    let row = plan.new_event;
    let (uids, froms): (Vec<String>, Vec<Option<String>>) = plan.links.iter().cloned().unzip();
    let query = bind_projection!(sqlx::query_as::<_, (i64, i64, i64, i64)>(sql), plan)
        .bind(row.map(|r| r.idempotency_key))
        .bind(row.map(|r| r.trigger))
        .bind(row.and_then(|r| r.booking_uid))
        .bind(row.and_then(|r| r.link_uid))
        .bind(row.map(|r| r.event_at))
        .bind(plan.now)
        .bind(row.map(|r| r.json))
        .bind(uids)
        .bind(froms)
        .bind(row.map(|r| r.source))
        .bind(row.and_then(|r| r.raw_body));
    let query = if plan.release.is_empty() {
        query
    } else {
        query.bind(plan.release.clone())
    };
    let (moved, _, _, _) = query.fetch_one(pg).await?;
    Ok(if moved == 1 {
        Commit::Done
    } else {
        Commit::Conflict
    })
}

/// SQLite: the plan as a transaction of plain statements, [`commit_in`].
async fn commit_in_transaction(db: &Db, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
    let mut tx = db.begin().await?;
    let commit = commit_in(&mut tx, plan).await?;
    if commit == Commit::Done {
        tx.commit().await?;
    }
    Ok(commit)
}

/// SQLite: writes a plan inside `tx`, whose transaction holds the write lock from its start
/// (`BEGIN IMMEDIATE`), so nothing can slip in between the checks and the writes. Nothing is
/// written unless the plan lands, so several plans can share one transaction.
pub async fn commit_in(tx: &mut Tx, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
    if held_since_read(tx, plan).await? {
        return Ok(Commit::Conflict);
    }
    let sql = format!(
        "update leads set {SET_PROJECTION} where submission_id = $1 and event_version = $2"
    );
    let moved = in_tx!(&mut *tx, conn => bind_projection!(sqlx::query(&sql), plan)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    if moved != 1 {
        return Ok(Commit::Conflict);
    }
    if let Some(row) = plan.new_event {
        let row = EventRow {
            submission_id: Some(plan.submission_id),
            ..row
        };
        append(tx, &row).await?;
    }
    for (uid, from) in &plan.links {
        link_uid(tx, uid, plan.submission_id, from.as_deref(), plan.now).await?;
    }
    for id in &plan.release {
        in_tx!(&mut *tx, conn => sqlx::query(
            "update booking_events set status = 'applied', submission_id = $2 \
             where id = $1 and status = 'held' and discarded_at is null",
        )
        .bind(id)
        .bind(plan.submission_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(Commit::Done)
}

/// Whether an event is held for one of the plan's uids that the plan does not release.
async fn held_since_read(tx: &mut Tx, plan: &ApplyPlan<'_>) -> Result<bool, sqlx::Error> {
    for (uid, _) in &plan.links {
        let held: Vec<i64> = in_tx!(&mut *tx, conn => sqlx::query_scalar(
            "select id from booking_events where status = 'held' and discarded_at is null \
             and link_uid = $1",
        )
        .bind(uid)
        .fetch_all(conn)
        .await)?;
        if held.iter().any(|id| !plan.release.contains(id)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Records that `uid` belongs to the lead; `true` when it was not known before.
async fn link_uid(
    tx: &mut Tx,
    uid: &str,
    submission_id: &str,
    rescheduled_from: Option<&str>,
    now: DbTime,
) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "insert into bookings (booking_uid, submission_id, rescheduled_from, linked_at) \
         values ($1, $2, $3, $4) on conflict (booking_uid) do nothing",
    )
    .bind(uid)
    .bind(submission_id)
    .bind(rescheduled_from)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))
}
