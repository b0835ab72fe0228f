//! Applying a verified event: find its lead (by the submission id in the booking's metadata,
//! else by booking uid), log it once, link the booking uids it introduces, apply the events
//! that were held for them, and write the lead's booking fields from its whole history, all
//! in one atomic write that only lands if the lead did not change meanwhile (else: read and
//! plan again).

use std::collections::HashSet;

use crate::{
    domain::{
        booking::{project, BookingEvent, Stage},
        delivery::FailureReason,
    },
    ssr::{
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            events::{
                self, commit_applied, read_for_apply, ApplyPlan, Commit, EventRow, EventSource,
                HeldEvent, LeadState,
            },
            webhook_failures,
        },
        webhooks::{failure::FailedDelivery, gate::WebhookGate, receipt::Receipt},
    },
};

/// How many times an event is re-planned when other events for the same lead keep landing
/// first; far more than concurrent deliveries for one lead ever need.
pub const MAX_ATTEMPTS: usize = 20;

/// Where an event came from: its idempotency key (derived from the body, or an owner
/// action's), its source, and a verified delivery's bytes as received.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    pub key: &'a str,
    pub source: EventSource,
    pub raw_body: Option<&'a [u8]>,
}

/// Logs a ping: it concerns no lead, but shows the feed is alive.
pub async fn log_ping(
    state: &AppState,
    origin: Origin<'_>,
    trigger: &str,
    at: jiff::Timestamp,
    received_at: DbTime,
) -> Result<Receipt, ServerError> {
    let json = serde_json::json!({ "trigger": trigger }).to_string();
    let row = EventRow {
        idempotency_key: origin.key,
        trigger,
        booking_uid: None,
        link_uid: None,
        submission_id: None,
        event_at: DbTime::new(at),
        received_at,
        json: &json,
        source: origin.source,
        raw_body: origin.raw_body,
    };
    let mut tx = state.db.begin().await?;
    let id = events::append(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(match id {
        Some(_) => Receipt::Applied {
            trigger: trigger.to_owned(),
        },
        None => Receipt::Duplicate,
    })
}

/// What to do with an event whose lead cannot be found: hold it, and (a submission id that
/// matches no lead) record the failure `unmatched()` makes; or, for an event that must find
/// its lead (an owner's), refuse.
pub enum Unmatched<'f, 'b> {
    Hold(&'f (dyn Fn() -> FailedDelivery<'b> + Sync)),
    Refuse,
}

/// Applies `event` to the lead its submission id names, which must exist (an owner's event,
/// or a delivery an owner linked to a lead).
pub async fn apply_with_lead(
    state: &AppState,
    origin: Origin<'_>,
    event: &BookingEvent,
    received_at: DbTime,
) -> Result<Receipt, ServerError> {
    apply_event(state, origin, event, received_at, Unmatched::Refuse, None).await
}

/// Applies `event` (from `source`, keyed by `key`), in the same transaction as its log row.
/// A lead's first event goes to the batching writer; any other database work waits for a
/// turn at `turns`, when given (a webhook delivery's).
pub async fn apply_event<'b>(
    state: &AppState,
    origin: Origin<'_>,
    event: &BookingEvent,
    received_at: DbTime,
    unmatched: Unmatched<'_, 'b>,
    turns: Option<&WebhookGate>,
) -> Result<Receipt, ServerError> {
    let key = origin.key;
    let json = serde_json::to_string(event).map_err(|e| ServerError::encode("webhook event", e))?;
    let row = EventRow {
        idempotency_key: key,
        trigger: &event.trigger,
        booking_uid: event.booking_uid.as_deref(),
        link_uid: event.link_uid(),
        submission_id: None,
        event_at: DbTime::new(event.at),
        received_at,
        json: &json,
        source: origin.source,
        raw_body: origin.raw_body,
    };
    if let Some(receipt) = try_as_first_event(state, event, &row).await? {
        return Ok(receipt);
    }
    let _turn = match turns {
        Some(gate) => Some(gate.database_turn().await),
        None => None,
    };
    let uids = [
        event.booking_uid.as_deref(),
        event.rescheduled_from.as_deref(),
    ];
    for _ in 0..MAX_ATTEMPTS {
        let context = read_for_apply(
            &state.db,
            Some(key),
            event.submission_id.as_deref(),
            event.link_uid(),
            uids,
        )
        .await?;
        if context.duplicate {
            return Ok(Receipt::Duplicate);
        }
        let Some(lead) = context.lead else {
            return match unmatched {
                Unmatched::Hold(failure) => hold(state, event, &row, failure).await,
                Unmatched::Refuse => Err(ServerError::corrupt(
                    "lead",
                    "an owner's event names a lead that is not there",
                )),
            };
        };
        let mut links = Vec::new();
        add_links(&mut links, event);
        let plan_events = gather_released(state, &lead, context.held, &mut links).await?;
        let mut history = lead.history.clone();
        history.push(event.clone());
        history.extend(plan_events.iter().map(|h| h.event.clone()));
        let projection = project(lead.pre_booking_stage, &history);
        let plan = ApplyPlan {
            submission_id: &lead.submission_id,
            event_version: lead.event_version,
            new_event: Some(row),
            links,
            release: plan_events.iter().map(|h| h.id).collect(),
            projection: &projection,
            now: received_at,
        };
        if commit_applied(&state.db, &plan).await? == Commit::Done {
            for released in &plan_events {
                tracing::info!(trigger = %released.event.trigger, "held webhook event applied");
            }
            return Ok(Receipt::Applied {
                trigger: event.trigger.clone(),
            });
        }
    }
    Err(ServerError::KeptChanging {
        what: "a lead, while its webhook event was applied,",
        attempts: MAX_ATTEMPTS,
    })
}

/// A lead's first event (a booking created for it, usually) needs no read: with no history,
/// an event that decides the stage alone projects the same for any lead. The write lands only
/// if the lead exists, has no history and nothing is held for the event's uids; otherwise the
/// event takes the general path.
async fn try_as_first_event(
    state: &AppState,
    event: &BookingEvent,
    row: &EventRow<'_>,
) -> Result<Option<Receipt>, ServerError> {
    let Some(submission_id) = event.submission_id.as_deref() else {
        return Ok(None);
    };
    if !event.kind.decides_stage_alone() {
        return Ok(None);
    }
    let projection = project(Stage::New, std::slice::from_ref(event));
    let mut links = Vec::new();
    add_links(&mut links, event);
    let plan = ApplyPlan {
        submission_id,
        event_version: 0,
        new_event: Some(*row),
        links,
        release: Vec::new(),
        projection: &projection,
        now: row.received_at,
    };
    Ok(match state.first_events.commit(&state.db, &plan).await? {
        Commit::Done => Some(Receipt::Applied {
            trigger: event.trigger.clone(),
        }),
        Commit::Conflict => None,
    })
}

/// Keeps an event whose lead is not known: held until its booking is, or (it named a
/// submission id that matches no lead) also queued as a failure.
async fn hold<'b>(
    state: &AppState,
    event: &BookingEvent,
    row: &EventRow<'_>,
    unmatched: &(dyn Fn() -> FailedDelivery<'b> + Sync),
) -> Result<Receipt, ServerError> {
    let other_type = state
        .settings
        .cal
        .is_other_event_type(event.event_type.as_deref(), event.event_type_id);
    // An event of another event type is logged like a ping: for no lead, never held.
    let row = if other_type {
        EventRow {
            link_uid: None,
            ..*row
        }
    } else {
        *row
    };
    let mut tx = state.db.begin().await?;
    if events::append(&mut tx, &row).await?.is_none() {
        tx.commit().await?;
        return Ok(Receipt::Duplicate);
    }
    let receipt = if other_type {
        webhook_failures::count_in(&mut tx, FailureReason::OtherEventType, row.received_at).await?;
        tracing::info!(trigger = %event.trigger, "webhook event of another Cal.com event type; ignored");
        Receipt::Ignored {
            trigger: event.trigger.clone(),
        }
    } else if event.submission_id.is_some() {
        unmatched()
            .record_in(&mut tx, state.settings.webhook.failure_limits)
            .await?;
        Receipt::Queued {
            reason: FailureReason::UnknownSubmissionId,
        }
    } else {
        tracing::info!(trigger = %event.trigger, "webhook event held until its booking is known");
        Receipt::Held {
            trigger: event.trigger.clone(),
        }
    };
    tx.commit().await?;
    Ok(receipt)
}

/// The booking uids `event` names, as links to make: `(uid, rescheduled_from)`.
fn add_links(links: &mut Vec<(String, Option<String>)>, event: &BookingEvent) {
    let from = event.rescheduled_from.clone();
    if let Some(from) = &from {
        links.push((from.clone(), None));
    }
    if let Some(uid) = &event.booking_uid {
        links.push((uid.clone(), from));
    }
}

/// The held events an application releases: those held for the uids it links, and in turn
/// those held for uids the released ones link (a held reschedule names the next booking).
pub async fn gather_released(
    state: &AppState,
    lead: &LeadState,
    first: Vec<HeldEvent>,
    links: &mut Vec<(String, Option<String>)>,
) -> Result<Vec<HeldEvent>, ServerError> {
    let mut asked: HashSet<String> = links.iter().map(|(uid, _)| uid.clone()).collect();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut released = Vec::new();
    let mut pending = first;
    while let Some(held) = pending.pop() {
        if !seen.insert(held.id) {
            continue;
        }
        let before = links.len();
        add_links(links, &held.event);
        let new_uids: Vec<String> = links[before..]
            .iter()
            .map(|(uid, _)| uid.clone())
            .filter(|uid| asked.insert(uid.clone()))
            .collect();
        released.push(held);
        for uid in new_uids {
            let more = read_for_apply(
                &state.db,
                None,
                Some(&lead.submission_id),
                None,
                [Some(&uid), None],
            )
            .await?;
            pending.extend(more.held);
        }
    }
    Ok(released)
}
