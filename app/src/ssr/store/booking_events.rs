//! The event log of verified webhook deliveries, the booking uids that lead to each lead, and
//! the lead's booking fields written from its folded history.
//!
//! Events are applied optimistically: [`read_for_apply`] reads the lead, its history and the
//! events held for the uids in question without locks; [`commit_applied`] then writes
//! everything in one step that only lands if the lead is still at the version read
//! (`leads.event_version`), so concurrent events for one lead, in one process or many,
//! serialise by retrying. On PostgreSQL that step is a single statement.

use std::sync::LazyLock;

use crate::{
    domain::booking::{BookingEvent, BookingProjection, Stage},
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

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
}

impl EventRow<'_> {
    fn status(&self) -> &'static str {
        if self.submission_id.is_some() || self.link_uid.is_none() {
            "applied"
        } else {
            "held"
        }
    }
}

/// Appends an event unless its idempotency key is already in the log; `None` for a
/// duplicate.
pub async fn append(tx: &mut Tx, row: &EventRow<'_>) -> Result<Option<i64>, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "insert into booking_events (idempotency_key, trigger_event, booking_uid, link_uid, \
         submission_id, status, event_at, received_at, event) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
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
    .fetch_optional(conn)
    .await)
}

/// A lead as an event finds it.
#[derive(Clone, Debug)]
pub struct LeadState {
    pub submission_id: String,
    /// `new` or `invited`: where the lead stands before any booking.
    pub pre_booking_stage: Stage,
    pub event_version: i64,
    /// Every event applied to the lead so far.
    pub history: Vec<BookingEvent>,
}

/// An event held for a booking uid that was not known when it arrived.
#[derive(Clone, Debug)]
pub struct HeldEvent {
    pub id: i64,
    pub event: BookingEvent,
}

/// What the database says about an event before it is applied.
#[derive(Clone, Debug, Default)]
pub struct ApplyContext {
    /// The event's key is already in the log.
    pub duplicate: bool,
    /// The lead it belongs to (by submission id, else by the booking uid it links through).
    pub lead: Option<LeadState>,
    /// Events held for the uids asked about.
    pub held: Vec<HeldEvent>,
}

type ContextRow = (
    String,
    Option<String>,
    Option<String>,
    Option<DbTime>,
    Option<i64>,
);

/// Reads, in one query, whether `key` is logged, the lead found by `submission_id` or else by
/// `link_uid` (with its applied history), and the events held for `uids`.
pub async fn read_for_apply(
    db: &Db,
    key: Option<&str>,
    submission_id: Option<&str>,
    link_uid: Option<&str>,
    uids: [Option<&str>; 2],
) -> Result<ApplyContext, sqlx::Error> {
    let rows: Vec<ContextRow> = on_pool!(db.reads(), pool => sqlx::query_as(
        "with lead as ( \
           select submission_id, invited_at, event_version from leads where submission_id = coalesce( \
             (select submission_id from leads where submission_id = $2), \
             (select submission_id from bookings where booking_uid = $3))) \
         select 'duplicate', null, null, null, null from booking_events where idempotency_key = $1 \
         union all select 'lead', submission_id, null, invited_at, event_version from lead \
         union all select 'event', e.event, null, null, null from booking_events e \
           where e.submission_id = (select submission_id from lead) and e.status = 'applied' \
         union all select 'held', event, null, null, id from booking_events \
           where status = 'held' and link_uid in ($4, $5)",
    )
    .bind(key)
    .bind(submission_id)
    .bind(link_uid)
    .bind(uids[0])
    .bind(uids[1])
    .fetch_all(pool)
    .await)?;

    let mut context = ApplyContext::default();
    let mut history = Vec::new();
    for (kind, text, _, invited_at, number) in rows {
        match (kind.as_str(), text) {
            ("duplicate", _) => context.duplicate = true,
            ("lead", Some(id)) => {
                context.lead = Some(LeadState {
                    submission_id: id,
                    pre_booking_stage: if invited_at.is_some() {
                        Stage::Invited
                    } else {
                        Stage::New
                    },
                    event_version: number.unwrap_or_default(),
                    history: Vec::new(),
                })
            }
            ("event", Some(json)) => history.push(decode_event(&json)?),
            ("held", Some(json)) => context.held.push(HeldEvent {
                id: number.unwrap_or_default(),
                event: decode_event(&json)?,
            }),
            _ => {}
        }
    }
    if let Some(lead) = context.lead.as_mut() {
        lead.history = history;
    }
    Ok(context)
}

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
            .bind(p.stage.as_str())
            .bind(p.booking_status.map(Stage::as_str))
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
            "and id <> all($24::bigint[])",
            ", released as ( \
               update booking_events set status = 'applied', submission_id = $1 \
               where id = any($24::bigint[]) and status = 'held' \
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
             and link_uid = any($22::text[]) {held_guard}) \
           returning submission_id), \
         logged as ( \
           insert into booking_events (idempotency_key, trigger_event, booking_uid, \
             link_uid, submission_id, status, event_at, received_at, event) \
           select $15, $16, $17, $18, $1, 'applied', $19, $20, $21 from moved \
           where $15 is not null \
           on conflict (idempotency_key) do nothing returning id), \
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
pub async fn commit_applied(db: &Db, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
    match db {
        Db::Postgres(pg) => {
            let sql: &str = if plan.release.is_empty() {
                &PG_COMMIT
            } else {
                &PG_COMMIT_RELEASING
            };
            let row = plan.new_event;
            let (uids, froms): (Vec<String>, Vec<Option<String>>) =
                plan.links.iter().cloned().unzip();
            let query = bind_projection!(sqlx::query_as::<_, (i64, i64, i64, i64)>(sql), plan)
                .bind(row.map(|r| r.idempotency_key))
                .bind(row.map(|r| r.trigger))
                .bind(row.and_then(|r| r.booking_uid))
                .bind(row.and_then(|r| r.link_uid))
                .bind(row.map(|r| r.event_at))
                .bind(plan.now)
                .bind(row.map(|r| r.json))
                .bind(uids)
                .bind(froms);
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
        Db::Sqlite(_) => {
            let mut tx = db.begin().await?;
            let sql = format!(
                "update leads set {SET_PROJECTION} where submission_id = $1 and event_version = $2"
            );
            let moved = in_tx!(&mut tx, conn => bind_projection!(sqlx::query(&sql), plan)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
            if moved != 1 || held_since_read(&mut tx, plan).await? {
                return Ok(Commit::Conflict);
            }
            if let Some(row) = plan.new_event {
                let row = EventRow {
                    submission_id: Some(plan.submission_id),
                    ..row
                };
                append(&mut tx, &row).await?;
            }
            for (uid, from) in &plan.links {
                link_uid(&mut tx, uid, plan.submission_id, from.as_deref(), plan.now).await?;
            }
            for id in &plan.release {
                in_tx!(&mut tx, conn => sqlx::query(
                    "update booking_events set status = 'applied', submission_id = $2 \
                     where id = $1 and status = 'held'",
                )
                .bind(id)
                .bind(plan.submission_id)
                .execute(conn)
                .await
                .map(|_| ()))?;
            }
            tx.commit().await?;
            Ok(Commit::Done)
        }
    }
}

/// Whether an event is held for one of the plan's uids that the plan does not release.
async fn held_since_read(tx: &mut Tx, plan: &ApplyPlan<'_>) -> Result<bool, sqlx::Error> {
    for (uid, _) in &plan.links {
        let held: Vec<i64> = in_tx!(&mut *tx, conn => sqlx::query_scalar(
            "select id from booking_events where status = 'held' and link_uid = $1",
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

fn decode_event(json: &str) -> Result<BookingEvent, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Uids that have events held for them and are now known, with their lead (for the sweep
/// that catches a hold that raced the link).
pub async fn held_but_known(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, String)>(
        "select distinct e.link_uid, b.submission_id from booking_events e \
         join bookings b on b.booking_uid = e.link_uid where e.status = 'held' limit 100",
    )
    .fetch_all(pool)
    .await)
}
