//! One Cal.com event about a booking, reduced to what the lead needs, and what kind of event
//! it is.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What happened to a booking, as far as the lead's state is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A booking awaits the host's confirmation (BOOKING_REQUESTED).
    Requested,
    /// A booking exists (BOOKING_CREATED; also a confirmation of a requested one).
    Created,
    /// The booking moved to a new uid (BOOKING_RESCHEDULED).
    Rescheduled,
    Cancelled,
    Rejected,
    PaymentInitiated,
    Paid,
    MeetingStarted,
    MeetingEnded,
    /// An attendee or the host was marked as not showing up.
    NoShowMarked,
    /// An attendee no-show mark was taken back.
    NoShowUnmarked,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::Requested,
        EventKind::Created,
        EventKind::Rescheduled,
        EventKind::Cancelled,
        EventKind::Rejected,
        EventKind::PaymentInitiated,
        EventKind::Paid,
        EventKind::MeetingStarted,
        EventKind::MeetingEnded,
        EventKind::NoShowMarked,
        EventKind::NoShowUnmarked,
    ];

    /// Whether, for a lead with no booking history yet, this event alone decides the stage
    /// (the same for a `new` and an `invited` lead). Payments, a meeting starting and a no-show
    /// un-mark leave the stage where it was, so they do not.
    pub fn decides_stage_alone(self) -> bool {
        !matches!(
            self,
            EventKind::PaymentInitiated
                | EventKind::Paid
                | EventKind::MeetingStarted
                | EventKind::NoShowUnmarked
        )
    }

    /// Whether the event is how a booking comes to exist (created, requested, or moved here
    /// by a reschedule).
    pub fn begins_booking(self) -> bool {
        matches!(
            self,
            EventKind::Created | EventKind::Requested | EventKind::Rescheduled
        )
    }

    /// Whether the event says how a meeting went (ended, or someone did not show).
    pub fn is_outcome(self) -> bool {
        matches!(
            self,
            EventKind::MeetingEnded | EventKind::NoShowMarked | EventKind::NoShowUnmarked
        )
    }

    /// Where an event sits in a booking's life; breaks ties between events Cal.com stamped
    /// with the same time, so any delivery order folds to the same state.
    pub fn lifecycle_rank(self) -> u8 {
        match self {
            EventKind::Requested => 0,
            EventKind::Created => 1,
            EventKind::PaymentInitiated => 2,
            EventKind::Paid => 3,
            EventKind::Rescheduled => 4,
            EventKind::MeetingStarted => 5,
            EventKind::NoShowMarked => 6,
            EventKind::NoShowUnmarked => 7,
            EventKind::MeetingEnded => 8,
            EventKind::Rejected => 9,
            EventKind::Cancelled => 10,
        }
    }
}

/// One Cal.com event about a booking, reduced to what the lead needs. Stored (as JSON) in the
/// event log and folded, in time order, into the lead's booking fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingEvent {
    /// The trigger as Cal.com named it (`BOOKING_CREATED`…), for the record.
    pub trigger: String,
    pub kind: EventKind,
    /// Cal.com's `createdAt` of the event; for bodies without one, the event's own time.
    pub at: Timestamp,
    /// The booking the event is about (for a reschedule: the new booking).
    pub booking_uid: Option<String>,
    /// For a reschedule: the booking it replaced.
    pub rescheduled_from: Option<String>,
    /// The submission id the embed put in the booking's metadata, when Cal.com sent it.
    pub submission_id: Option<String>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
    pub cancellation_reason: Option<String>,
    /// The Cal.com event type's slug (`type`), when the body names it.
    #[serde(default)]
    pub event_type: Option<String>,
    /// The Cal.com event type's id (`eventTypeId`), when the body names it.
    #[serde(default)]
    pub event_type_id: Option<i64>,
    /// The first attendee, as the body names them: who an unmatched booking may be from.
    /// Personal data: erased with the lead.
    #[serde(default)]
    pub attendee_name: Option<String>,
    #[serde(default)]
    pub attendee_email: Option<String>,
}

impl BookingEvent {
    /// The booking uid that must be known for this event to find its lead: the replaced
    /// booking for a reschedule, else the booking itself.
    pub fn link_uid(&self) -> Option<&str> {
        self.rescheduled_from
            .as_deref()
            .or(self.booking_uid.as_deref())
    }
}
