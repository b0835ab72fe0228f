//! A booking as API v2 (`2024-08-13`) shows it: Cal.com's `BookingOutput_2024_08_13`, filled
//! as its output service fills it (lower-case status, ISO times with milliseconds, metadata
//! without `videoCallUrl`).

use app::ssr::calcom::payloads::iso_millis;
use serde_json::{json, Map, Value};

use crate::booking::{Booking, Status};

/// The organizer's user id; the stand-in has one user per event link.
const HOST_ID: i64 = 1;

pub fn booking(b: &Booking) -> Value {
    let event = &b.event;
    let metadata: Map<String, Value> = b
        .metadata
        .iter()
        .filter(|(k, _)| k.as_str() != "videoCallUrl")
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut responses = Map::new();
    responses.insert("name".into(), json!(b.attendee.name));
    responses.insert("email".into(), json!(b.attendee.email));
    if !b.notes.is_empty() {
        responses.insert("notes".into(), json!(b.notes));
    }
    if !b.guests.is_empty() {
        responses.insert("guests".into(), json!(b.guests));
    }
    let status = match b.status {
        Status::Accepted => "accepted",
        Status::Pending => "pending",
        Status::Cancelled => "cancelled",
        Status::Rejected => "rejected",
    };
    json!({
        "id": b.id,
        "uid": b.uid,
        "title": b.title(),
        "description": b.notes,
        "status": status,
        "start": iso_millis(b.start),
        "end": iso_millis(b.end),
        "duration": b.end.duration_since(b.start).as_mins(),
        "createdAt": iso_millis(b.created_at),
        "updatedAt": iso_millis(b.updated_at),
        "rescheduledFromUid": b.from_reschedule,
        "rescheduledToUid": b.rescheduled_to,
        "reschedulingReason": null,
        "rescheduledByEmail": null,
        "cancellationReason": b.cancellation_reason.as_deref().unwrap_or_default(),
        "cancelledByEmail": "",
        "absentHost": b.host_no_show,
        "attendees": [{
            "name": b.attendee.name,
            "email": b.attendee.email,
            "displayEmail": b.attendee.email,
            "timeZone": b.attendee.time_zone,
            "language": "en",
            "absent": b.attendee_no_show,
            "phoneNumber": null,
        }],
        "hosts": [{
            "id": HOST_ID,
            "name": event.organizer_name,
            "email": event.organizer_email,
            "displayEmail": event.organizer_email,
            "username": event.organizer_username,
            "timeZone": event.organizer_time_zone,
        }],
        "guests": b.guests,
        "location": b.video_call_url,
        "meetingUrl": b.video_call_url,
        "eventTypeId": event.event_type_id,
        "eventType": { "id": event.event_type_id, "slug": event.slug },
        "metadata": metadata,
        "icsUid": format!("{}@Cal.com", b.uid),
        "rating": null,
        "bookingFieldsResponses": responses,
    })
}
