//! What the database says about an event before it is applied, read in one query without
//! locks: whether it is a duplicate, the lead it belongs to with its applied history, and the
//! events held for the booking uids in question.

use crate::{
    domain::booking::{BookingEvent, Stage},
    ssr::{
        db::{on_pool, Db, DbTime},
        error::ServerError,
        store::events::log::decode_event,
    },
};

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

/// Which part of [`read_for_apply`]'s answer a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Duplicate,
    Lead,
    Event,
    Held,
}

impl Part {
    fn as_str(self) -> &'static str {
        match self {
            Part::Duplicate => "duplicate",
            Part::Lead => "lead",
            Part::Event => "event",
            Part::Held => "held",
        }
    }

    fn parse(text: &str) -> Option<Part> {
        [Part::Duplicate, Part::Lead, Part::Event, Part::Held]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

crate::text_column!(Part, "part of an apply context");

type ContextRow = (Part, Option<String>, Option<DbTime>, Option<i64>);

/// Reads, in one query, whether `key` is logged, the lead found by `submission_id` or else by
/// `link_uid` (with its applied history), and the events held for `uids`.
pub async fn read_for_apply(
    db: &Db,
    key: Option<&str>,
    submission_id: Option<&str>,
    link_uid: Option<&str>,
    uids: [Option<&str>; 2],
) -> Result<ApplyContext, ServerError> {
    // The part names are the strings `Part` parses.
    let rows: Vec<ContextRow> = on_pool!(db.reads(), pool => sqlx::query_as(
        "with lead as ( \
           select submission_id, invited_at, event_version from leads where submission_id = coalesce( \
             (select submission_id from leads where submission_id = $2), \
             (select submission_id from bookings where booking_uid = $3))) \
         select 'duplicate', null, null, null from booking_events where idempotency_key = $1 \
         union all select 'lead', submission_id, invited_at, event_version from lead \
         union all select 'event', e.event, null, null from booking_events e \
           where e.submission_id = (select submission_id from lead) and e.status = 'applied' \
         union all select 'held', event, null, id from booking_events \
           where status = 'held' and discarded_at is null and link_uid in ($4, $5)",
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
    for (part, text, invited_at, number) in rows {
        let text = || {
            text.clone()
                .ok_or_else(|| ServerError::corrupt("apply context", "a row without its text"))
        };
        match part {
            Part::Duplicate => context.duplicate = true,
            Part::Lead => {
                context.lead = Some(LeadState {
                    submission_id: text()?,
                    pre_booking_stage: if invited_at.is_some() {
                        Stage::Invited
                    } else {
                        Stage::New
                    },
                    event_version: number.unwrap_or_default(),
                    history: Vec::new(),
                })
            }
            Part::Event => history.push(decode_event(&text()?)?),
            Part::Held => context.held.push(HeldEvent {
                id: number.unwrap_or_default(),
                event: decode_event(&text()?)?,
            }),
        }
    }
    if let Some(lead) = context.lead.as_mut() {
        lead.history = history;
    }
    Ok(context)
}
