//! What every body repeats: a booking's facts, the time formats Cal.com writes, the attendee
//! and organizer objects, the common booking payload and the `{triggerEvent, createdAt,
//! payload}` envelope.

use jiff::{tz::TimeZone, Timestamp};
use serde_json::{json, Value};

/// The facts of one booking that its webhooks repeat.
#[derive(Clone, Debug)]
pub struct BookingFacts {
    pub uid: String,
    pub booking_id: i64,
    pub event_type_id: i64,
    pub event_slug: String,
    pub title: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub attendee_name: String,
    pub attendee_email: String,
    pub attendee_time_zone: String,
    pub organizer_name: String,
    pub organizer_email: String,
    pub organizer_time_zone: String,
    /// `metadata[submissionId]` as the embed put it on the booking.
    pub submission_id: Option<String>,
    pub video_call_url: Option<String>,
    pub created_at: Timestamp,
}

/// `2026-10-01T09:00:00.000Z`: JavaScript's `toISOString()`.
pub fn iso_millis(t: Timestamp) -> String {
    let dt = TimeZone::UTC.to_datetime(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1_000_000
    )
}

/// `2026-10-01T09:00:00Z`: dayjs `.utc().format()`.
pub fn iso_seconds_z(t: Timestamp) -> String {
    let text = iso_millis(t);
    format!("{}Z", &text[..19])
}

/// `2026-10-01T09:00:00+00:00`: dayjs `.format()` on a UTC server (cancellations).
pub fn iso_offset(t: Timestamp) -> String {
    let text = iso_millis(t);
    format!("{}+00:00", &text[..19])
}

pub(super) fn attendee(f: &BookingFacts) -> Value {
    let (first, last) = f
        .attendee_name
        .split_once(' ')
        .unwrap_or((f.attendee_name.as_str(), ""));
    json!({
        "email": f.attendee_email,
        "name": f.attendee_name,
        "firstName": first,
        "lastName": last,
        "timeZone": f.attendee_time_zone,
        "language": { "locale": "en" },
        "utcOffset": 0,
    })
}

pub(super) fn organizer(f: &BookingFacts) -> Value {
    json!({
        "id": 7,
        "name": f.organizer_name,
        "email": f.organizer_email,
        "username": "organizer",
        "timeZone": f.organizer_time_zone,
        "language": { "locale": "en" },
        "timeFormat": "h:mma",
        "utcOffset": 0,
    })
}

/// The common booking payload (BOOKING_CREATED/REQUESTED/RESCHEDULED/PAYMENT_*).
pub(super) fn booking_payload(f: &BookingFacts, status: &str) -> Value {
    let mut metadata = serde_json::Map::new();
    if let Some(url) = &f.video_call_url {
        metadata.insert("videoCallUrl".into(), json!(url));
    }
    if let Some(id) = &f.submission_id {
        metadata.insert("submissionId".into(), json!(id));
    }
    json!({
        "bookerUrl": "https://app.cal.com",
        "type": f.event_slug,
        "title": f.title,
        "description": "",
        "additionalNotes": "",
        "customInputs": {},
        "startTime": iso_seconds_z(f.start),
        "endTime": iso_seconds_z(f.end),
        "organizer": organizer(f),
        "attendees": [attendee(f)],
        "responses": {
            "name": { "label": "your_name", "value": f.attendee_name, "isHidden": false },
            "email": { "label": "email_address", "value": f.attendee_email, "isHidden": false },
            "location": { "label": "location", "value": { "value": "integrations:daily", "optionValue": "" }, "isHidden": false },
        },
        "userFieldsResponses": {},
        "location": "integrations:daily",
        "destinationCalendar": null,
        "hideCalendarNotes": false,
        "requiresConfirmation": status == "PENDING",
        "eventTypeId": f.event_type_id,
        "seatsShowAttendees": true,
        "seatsPerTimeSlot": null,
        "seatsShowAvailabilityCount": true,
        "schedulingType": null,
        "iCalUID": format!("{}@Cal.com", f.uid),
        "iCalSequence": 0,
        "uid": f.uid,
        "videoCallData": f.video_call_url.as_ref().map(|url| json!({ "type": "daily_video", "id": f.uid, "password": "", "url": url })),
        "appsStatus": [],
        "eventTitle": f.event_slug,
        "eventDescription": null,
        "price": 0,
        "currency": "usd",
        "length": (f.end.as_second() - f.start.as_second()) / 60,
        "bookingId": f.booking_id,
        "metadata": metadata,
        "status": status,
    })
}

pub(super) fn envelope(trigger: &str, created_at: Timestamp, payload: Value) -> String {
    json!({ "triggerEvent": trigger, "createdAt": iso_millis(created_at), "payload": payload })
        .to_string()
}
