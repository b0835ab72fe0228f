//! Many leads' first events written at once. A first event (a lead with no history yet)
//! needs no read before its write (see `webhooks::apply`), so the first events of concurrent
//! deliveries can be committed together: on PostgreSQL, one statement for all of them, which
//! is one commit where each was one (SQLite writes them one by one in one transaction,
//! [`super::commit_in`]). Each event still lands only on a lead that exists, has
//! no history, and has nothing held for the event's uids; the others answer
//! [`Commit::Conflict`] and take the general path.

use sqlx::PgPool;

use crate::{
    domain::booking::BookingProjection,
    ssr::{
        db::DbTime,
        store::events::{
            commit::{ApplyPlan, Commit},
            log::{EventRow, EventSource},
        },
    },
};

/// A lead's first event, owned, so it can wait for the writer that commits it.
#[derive(Clone, Debug)]
pub struct FirstEvent {
    pub submission_id: String,
    pub idempotency_key: String,
    pub trigger: String,
    pub booking_uid: Option<String>,
    pub link_uid: Option<String>,
    pub event_at: DbTime,
    pub received_at: DbTime,
    /// The event as JSON.
    pub json: String,
    pub source: EventSource,
    /// The delivery's bytes as received.
    pub raw_body: Option<Vec<u8>>,
    /// Booking uids to link to the lead: `(uid, rescheduled_from)`.
    pub links: Vec<(String, Option<String>)>,
    /// The lead's booking fields after this one event.
    pub projection: BookingProjection,
}

impl FirstEvent {
    /// The plan's write, owned; `None` unless the plan is a first event's (a new event, on a
    /// lead at version 0, releasing nothing).
    pub fn of_plan(plan: &ApplyPlan<'_>) -> Option<FirstEvent> {
        let row = plan.new_event?;
        (plan.event_version == 0 && plan.release.is_empty()).then(|| FirstEvent {
            submission_id: plan.submission_id.to_owned(),
            idempotency_key: row.idempotency_key.to_owned(),
            trigger: row.trigger.to_owned(),
            booking_uid: row.booking_uid.map(str::to_owned),
            link_uid: row.link_uid.map(str::to_owned),
            event_at: row.event_at,
            received_at: plan.now,
            json: row.json.to_owned(),
            source: row.source,
            raw_body: row.raw_body.map(<[u8]>::to_vec),
            links: plan.links.clone(),
            projection: plan.projection.clone(),
        })
    }

    /// The write as a plan again, for [`super::commit_in`].
    pub fn plan(&self) -> ApplyPlan<'_> {
        ApplyPlan {
            submission_id: &self.submission_id,
            event_version: 0,
            new_event: Some(EventRow {
                idempotency_key: &self.idempotency_key,
                trigger: &self.trigger,
                booking_uid: self.booking_uid.as_deref(),
                link_uid: self.link_uid.as_deref(),
                submission_id: None,
                event_at: self.event_at,
                received_at: self.received_at,
                json: &self.json,
                source: self.source,
                raw_body: self.raw_body.as_deref(),
            }),
            links: self.links.clone(),
            release: Vec::new(),
            projection: &self.projection,
            now: self.received_at,
        }
    }
}

/// The plans side by side, one array per column, numbered by `with ordinality`; `links`
/// names its plan by that number. Every write hangs off `moved`, as in the one-plan
/// statement (`commit.rs`). A lead named twice is updated once; the other plan answers a
/// conflict.
const COMMIT_FIRST_EVENTS: &str = "with plans as ( \
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], \
         $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::timestamptz[], \
         $10::int[], $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::text[], \
         $16::text[], $17::text[], $18::timestamptz[], $19::timestamptz[], $20::text[], \
         $21::text[], $22::bytea[]) with ordinality as p(submission_id, stage, \
         booking_status, booking_uid, booking_start, booking_end, attendee_time_zone, \
         location, first_booked_at, reschedule_count, cancellation_reason, last_event, \
         last_event_at, idempotency_key, trigger_event, event_booking_uid, link_uid, \
         event_at, received_at, event, source, body, i)), \
     links as ( \
       select * from unnest($23::bigint[], $24::text[], $25::text[]) as l(i, uid, from_uid)), \
     moved as ( \
       update leads set stage = p.stage, booking_status = p.booking_status, \
         booking_uid = p.booking_uid, booking_start = p.booking_start, \
         booking_end = p.booking_end, attendee_time_zone = p.attendee_time_zone, \
         location = p.location, first_booked_at = p.first_booked_at, \
         reschedule_count = p.reschedule_count, cancellation_reason = p.cancellation_reason, \
         last_event = p.last_event, last_event_at = p.last_event_at, \
         event_version = leads.event_version + 1 \
       from plans p \
       where leads.submission_id = p.submission_id and leads.event_version = 0 \
       and not exists (select 1 from links l join booking_events e on e.link_uid = l.uid \
         where l.i = p.i and e.status = 'held' and e.discarded_at is null) \
       returning p.i), \
     logged as ( \
       insert into booking_events (idempotency_key, trigger_event, booking_uid, link_uid, \
         submission_id, status, event_at, received_at, event, source) \
       select p.idempotency_key, p.trigger_event, p.event_booking_uid, p.link_uid, \
         p.submission_id, 'applied', p.event_at, p.received_at, p.event, p.source \
       from plans p join moved m on m.i = p.i order by p.i \
       on conflict (idempotency_key) do nothing returning id, idempotency_key), \
     kept as ( \
       insert into booking_event_bodies (event_id, received_at, body) \
       select distinct on (g.id) g.id, p.received_at, p.body \
       from logged g join plans p on p.idempotency_key = g.idempotency_key \
       join moved m on m.i = p.i where p.body is not null), \
     linked as ( \
       insert into bookings (booking_uid, submission_id, rescheduled_from, linked_at) \
       select l.uid, p.submission_id, l.from_uid, p.received_at \
       from links l join moved m on m.i = l.i join plans p on p.i = l.i \
       order by l.uid on conflict (booking_uid) do nothing) \
     select i from moved";

/// PostgreSQL: commits `events` in one statement and answers, in order, which landed.
/// Leads are written in submission id order, so that two batches sharing leads lock them in
/// the same order.
pub async fn commit_first_events(
    pg: &PgPool,
    events: &[FirstEvent],
) -> Result<Vec<Commit>, sqlx::Error> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|&a, &b| events[a].submission_id.cmp(&events[b].submission_id));
    let landed = commit_in_order(pg, order.iter().map(|&i| &events[i]).collect()).await?;
    let mut commits = vec![Commit::Conflict; events.len()];
    for (&original, commit) in order.iter().zip(landed) {
        commits[original] = commit;
    }
    Ok(commits)
}

async fn commit_in_order(
    pg: &PgPool,
    events: Vec<&FirstEvent>,
) -> Result<Vec<Commit>, sqlx::Error> {
    let text = |f: fn(&FirstEvent) -> Option<&str>| events.iter().map(|e| f(e)).collect::<Vec<_>>();
    let time = |f: fn(&BookingProjection) -> Option<jiff::Timestamp>| {
        events
            .iter()
            .map(|e| f(&e.projection).map(DbTime::new))
            .collect::<Vec<_>>()
    };
    let (mut link_plans, mut link_uids, mut link_froms) = (Vec::new(), Vec::new(), Vec::new());
    for (i, event) in events.iter().enumerate() {
        for (uid, from) in &event.links {
            link_plans.push(i as i64 + 1);
            link_uids.push(uid.as_str());
            link_froms.push(from.as_deref());
        }
    }
    let moved: Vec<i64> = sqlx::query_scalar(COMMIT_FIRST_EVENTS)
        .bind(text(|e| Some(e.submission_id.as_str())))
        .bind(text(|e| Some(e.projection.stage.as_str())))
        .bind(text(|e| e.projection.booking_status.map(|s| s.as_str())))
        .bind(text(|e| e.projection.booking_uid.as_deref()))
        .bind(time(|p| p.booking_start))
        .bind(time(|p| p.booking_end))
        .bind(text(|e| e.projection.attendee_time_zone.as_deref()))
        .bind(text(|e| e.projection.location.as_deref()))
        .bind(time(|p| p.first_booked_at))
        .bind(
            events
                .iter()
                .map(|e| e.projection.reschedule_count)
                .collect::<Vec<i32>>(),
        )
        .bind(text(|e| e.projection.cancellation_reason.as_deref()))
        .bind(text(|e| e.projection.last_event.as_deref()))
        .bind(time(|p| p.last_event_at))
        .bind(text(|e| Some(e.idempotency_key.as_str())))
        .bind(text(|e| Some(e.trigger.as_str())))
        .bind(text(|e| e.booking_uid.as_deref()))
        .bind(text(|e| e.link_uid.as_deref()))
        .bind(events.iter().map(|e| e.event_at).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.received_at).collect::<Vec<_>>())
        .bind(text(|e| Some(e.json.as_str())))
        .bind(text(|e| Some(e.source.as_str())))
        .bind(
            events
                .iter()
                .map(|e| e.raw_body.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(link_plans)
        .bind(link_uids)
        .bind(link_froms)
        .fetch_all(pg)
        .await?;
    let mut landed = vec![Commit::Conflict; events.len()];
    for i in moved {
        if let Some(commit) = usize::try_from(i - 1).ok().and_then(|i| landed.get_mut(i)) {
            *commit = Commit::Done;
        }
    }
    Ok(landed)
}
