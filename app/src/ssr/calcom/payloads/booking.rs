//! The bodies of a booking's own life: created, requested, rescheduled, cancelled, rejected,
//! paid.

use jiff::Timestamp;
use serde_json::{json, Value};

use super::facts::{booking_payload, envelope, iso_offset, iso_seconds_z, BookingFacts};

pub fn booking_created(f: &BookingFacts, sent_at: Timestamp) -> String {
    envelope("BOOKING_CREATED", sent_at, booking_payload(f, "ACCEPTED"))
}

pub fn booking_requested(f: &BookingFacts, sent_at: Timestamp) -> String {
    envelope("BOOKING_REQUESTED", sent_at, booking_payload(f, "PENDING"))
}

/// A reschedule: `f` is the new booking, `old` the one it replaces.
pub fn booking_rescheduled(f: &BookingFacts, old: &BookingFacts, sent_at: Timestamp) -> String {
    envelope(
        "BOOKING_RESCHEDULED",
        sent_at,
        reschedule_payload(f, old, "ACCEPTED"),
    )
}

/// A reschedule of an event that needs confirmation: Cal.com sends BOOKING_REQUESTED (not
/// RESCHEDULED) for the new, pending booking, naming the old one as a reschedule does.
pub fn booking_reschedule_requested(
    f: &BookingFacts,
    old: &BookingFacts,
    sent_at: Timestamp,
) -> String {
    envelope(
        "BOOKING_REQUESTED",
        sent_at,
        reschedule_payload(f, old, "PENDING"),
    )
}

fn reschedule_payload(f: &BookingFacts, old: &BookingFacts, status: &str) -> Value {
    let mut payload = booking_payload(f, status);
    payload["rescheduleId"] = json!(old.booking_id);
    payload["rescheduleUid"] = json!(old.uid);
    payload["rescheduleStartTime"] = json!(iso_seconds_z(old.start));
    payload["rescheduleEndTime"] = json!(iso_seconds_z(old.end));
    // The reschedule request itself carries no embed metadata.
    payload["metadata"] = f
        .video_call_url
        .as_ref()
        .map(|url| json!({ "videoCallUrl": url }))
        .unwrap_or_else(|| json!({}));
    payload
}

/// A cancellation: rebuilt from the stored booking, `+00:00` times, no metadata.
pub fn booking_cancelled(f: &BookingFacts, reason: Option<&str>, sent_at: Timestamp) -> String {
    let mut payload = booking_payload(f, "CANCELLED");
    let object = payload.as_object_mut();
    if let Some(object) = object {
        object.remove("metadata");
        object.remove("videoCallData");
        object.remove("appsStatus");
        object.insert("startTime".into(), json!(iso_offset(f.start)));
        object.insert("endTime".into(), json!(iso_offset(f.end)));
        object.insert("price".into(), Value::Null);
        object.insert("destinationCalendar".into(), json!([]));
        object.insert("cancelledBy".into(), json!(f.attendee_email));
        object.insert("cancellationReason".into(), json!(reason));
        object.insert("requestReschedule".into(), json!(false));
    }
    envelope("BOOKING_CANCELLED", sent_at, payload)
}

pub fn booking_rejected(f: &BookingFacts, reason: Option<&str>, sent_at: Timestamp) -> String {
    let mut payload = booking_payload(f, "REJECTED");
    if let Some(object) = payload.as_object_mut() {
        object.remove("metadata");
        object.insert("rejectionReason".into(), json!(reason));
    }
    envelope("BOOKING_REJECTED", sent_at, payload)
}

pub fn booking_paid(f: &BookingFacts, sent_at: Timestamp) -> String {
    let mut payload = booking_payload(f, "ACCEPTED");
    payload["paymentId"] = json!(42);
    payload["metadata"] = json!({ "identifier": "cal.com", "bookingId": f.booking_id, "eventTypeId": f.event_type_id, "bookerEmail": f.attendee_email, "eventTitle": f.title, "externalId": "pi_123" });
    envelope("BOOKING_PAID", sent_at, payload)
}

pub fn booking_payment_initiated(f: &BookingFacts, sent_at: Timestamp) -> String {
    let mut payload = booking_payload(f, "ACCEPTED");
    payload["paymentId"] = json!(42);
    envelope("BOOKING_PAYMENT_INITIATED", sent_at, payload)
}
