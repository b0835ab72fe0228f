//! An owner's word on a booking's outcome (from the review queue), logged and applied to the
//! lead through the same path as a Cal.com event: it takes its place in the lead's timeline
//! at the moment it was given, so a later Cal.com outcome event still applies in time order.

use jiff::Timestamp;

use crate::{
    domain::booking::{BookingEvent, EventKind},
    ssr::{
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::events::EventSource,
        webhooks::{
            apply::{apply_with_lead, Origin},
            receipt::Receipt,
        },
    },
};

/// What the owner says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerOutcome {
    Completed,
    NoShow,
}

impl OwnerOutcome {
    /// The trigger the event is logged under.
    pub fn trigger(self) -> &'static str {
        match self {
            OwnerOutcome::Completed => "OWNER_MARKED_COMPLETED",
            OwnerOutcome::NoShow => "OWNER_MARKED_NO_SHOW",
        }
    }

    fn kind(self) -> EventKind {
        match self {
            OwnerOutcome::Completed => EventKind::MeetingEnded,
            OwnerOutcome::NoShow => EventKind::NoShowMarked,
        }
    }
}

/// Logs and applies `outcome` for booking `booking_uid` of lead `submission_id`, at `now`.
/// `key` makes it idempotent: the same key is applied once.
pub async fn apply_owner_outcome(
    state: &AppState,
    (submission_id, booking_uid): (&str, &str),
    outcome: OwnerOutcome,
    key: &str,
    now: Timestamp,
) -> Result<Receipt, ServerError> {
    let event = BookingEvent {
        trigger: outcome.trigger().to_owned(),
        kind: outcome.kind(),
        at: now,
        booking_uid: Some(booking_uid.to_owned()),
        rescheduled_from: None,
        submission_id: Some(submission_id.to_owned()),
        start: None,
        end: None,
        attendee_time_zone: None,
        location: None,
        cancellation_reason: None,
        event_type: None,
        event_type_id: None,
        attendee_name: None,
        attendee_email: None,
    };
    let origin = Origin {
        key,
        source: EventSource::Owner,
        raw_body: None,
    };
    apply_with_lead(state, origin, &event, DbTime::new(now)).await
}
