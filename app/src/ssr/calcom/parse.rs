//! Reading a verified Cal.com webhook body into a [`BookingEvent`]. Bodies differ by trigger
//! and Cal.com version: most are `{triggerEvent, createdAt, payload}`, MEETING_STARTED/ENDED
//! may arrive flat (the booking row at the top level, its `createdAt` being the booking's),
//! no-show bodies name the booking by `bookingUid`, and times come as `…Z`, `….000Z` or
//! `…+00:00`. Times are parsed, never compared as text.

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::domain::booking::{BookingEvent, EventKind};

/// What a well-formed delivery says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Cal.com's "ping test".
    Ping { trigger: String, at: Timestamp },
    /// An event about a booking.
    Booking(Box<BookingEvent>),
    /// A trigger this receiver does not handle (routing forms, recordings…).
    Unknown { trigger: String },
}

/// Why a body is not a delivery at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MalformedBody {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is not a JSON object")]
    NotAnObject,
    #[error("the body has no triggerEvent")]
    NoTrigger,
    #[error("{trigger} has no {field}")]
    Missing {
        trigger: String,
        field: &'static str,
    },
    #[error("{field} is not a time: {value}")]
    BadTime { field: &'static str, value: String },
}

/// Replaces every NUL in the body's strings with U+FFFD: JSON may carry `\u0000`, PostgreSQL
/// `text` cannot hold it, and nothing Cal.com means is lost (the raw body keeps the bytes).
fn scrub_nul(value: &mut Value) {
    match value {
        Value::String(text) if text.contains('\0') => *text = text.replace('\0', "\u{FFFD}"),
        Value::Array(items) => items.iter_mut().for_each(scrub_nul),
        Value::Object(map) => map.values_mut().for_each(scrub_nul),
        _ => {}
    }
}

/// Reads a body. `received_at` stands in for the event time of a body that carries none.
pub fn parse_delivery(body: &[u8], received_at: Timestamp) -> Result<Delivery, MalformedBody> {
    let mut root: Value =
        serde_json::from_slice(body).map_err(|e| MalformedBody::NotJson(e.to_string()))?;
    scrub_nul(&mut root);
    let root = root.as_object().ok_or(MalformedBody::NotAnObject)?;
    let trigger = text(root, "triggerEvent").ok_or(MalformedBody::NoTrigger)?;
    let envelope_time = time(root, "createdAt")?;
    let payload = root.get("payload").and_then(Value::as_object);

    let kind = match trigger.as_str() {
        "PING" => {
            return Ok(Delivery::Ping {
                at: envelope_time.unwrap_or(received_at),
                trigger,
            })
        }
        "BOOKING_REQUESTED" => EventKind::Requested,
        "BOOKING_CREATED" => EventKind::Created,
        "BOOKING_RESCHEDULED" => EventKind::Rescheduled,
        "BOOKING_CANCELLED" => EventKind::Cancelled,
        "BOOKING_REJECTED" => EventKind::Rejected,
        "BOOKING_PAYMENT_INITIATED" => EventKind::PaymentInitiated,
        "BOOKING_PAID" => EventKind::Paid,
        "MEETING_STARTED" => EventKind::MeetingStarted,
        "MEETING_ENDED" => EventKind::MeetingEnded,
        "BOOKING_NO_SHOW_UPDATED" => no_show_kind(payload),
        "AFTER_HOSTS_CAL_VIDEO_NO_SHOW" | "AFTER_GUESTS_CAL_VIDEO_NO_SHOW" => {
            EventKind::NoShowMarked
        }
        _ => return Ok(Delivery::Unknown { trigger }),
    };

    let is_meeting = matches!(kind, EventKind::MeetingStarted | EventKind::MeetingEnded);
    // A flat meeting body is the booking row itself, and its `createdAt` is the booking's.
    let (booking, at) = match payload {
        Some(payload) => (payload, envelope_time),
        None if is_meeting => (root, None),
        None => {
            return Err(MalformedBody::Missing {
                trigger,
                field: "payload",
            })
        }
    };
    let start = time(booking, "startTime")?;
    let end = time(booking, "endTime")?;
    let own_time = match kind {
        EventKind::MeetingStarted => start,
        EventKind::MeetingEnded => end,
        _ => None,
    };
    let at = at.or(own_time).unwrap_or(received_at);

    let uid = text(booking, "uid").or_else(|| text(booking, "bookingUid"));
    let Some(uid) = uid else {
        return Err(MalformedBody::Missing {
            trigger,
            field: "uid",
        });
    };
    let metadata = booking.get("metadata").and_then(Value::as_object);
    let location = metadata
        .and_then(|m| text(m, "videoCallUrl"))
        .or_else(|| {
            booking
                .get("videoCallData")
                .and_then(Value::as_object)
                .and_then(|v| text(v, "url"))
        })
        .or_else(|| text(booking, "location"));
    let attendee = booking
        .get("attendees")
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(Value::as_object);
    let attendee_time_zone = attendee.and_then(|a| text(a, "timeZone"));
    let rescheduled_from = match kind {
        EventKind::Rescheduled | EventKind::Requested => text(booking, "rescheduleUid"),
        _ => None,
    };

    let event_type_id = booking
        .get("eventTypeId")
        .and_then(Value::as_i64)
        .or_else(|| {
            booking
                .get("eventType")
                .and_then(|t| t.get("id"))
                .and_then(Value::as_i64)
        });

    Ok(Delivery::Booking(Box::new(BookingEvent {
        trigger,
        kind,
        at,
        booking_uid: Some(uid),
        rescheduled_from,
        submission_id: metadata.and_then(|m| text(m, "submissionId")),
        start,
        end,
        attendee_time_zone,
        location,
        cancellation_reason: text(booking, "cancellationReason"),
        event_type: text(booking, "type"),
        event_type_id,
        attendee_name: attendee.and_then(|a| text(a, "name")),
        attendee_email: attendee.and_then(|a| text(a, "email")),
    })))
}

/// A no-show update marks when any attendee is marked, and un-marks when none is.
fn no_show_kind(payload: Option<&Map<String, Value>>) -> EventKind {
    let marked = payload
        .and_then(|p| p.get("attendees"))
        .and_then(Value::as_array)
        .is_some_and(|attendees| {
            attendees
                .iter()
                .any(|a| a.get("noShow").and_then(Value::as_bool) == Some(true))
        });
    if marked {
        EventKind::NoShowMarked
    } else {
        EventKind::NoShowUnmarked
    }
}

/// A non-empty string field.
fn text(object: &Map<String, Value>, field: &str) -> Option<String> {
    object
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A time field, if present and not null; an error if present but not a time.
fn time(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<Timestamp>, MalformedBody> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => {
            value
                .parse::<Timestamp>()
                .map(Some)
                .map_err(|_| MalformedBody::BadTime {
                    field,
                    value: value.chars().take(40).collect(),
                })
        }
        Some(other) => Err(MalformedBody::BadTime {
            field,
            value: other.to_string().chars().take(40).collect(),
        }),
    }
}

#[cfg(test)]
mod tests;
