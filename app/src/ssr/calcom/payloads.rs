//! Webhook bodies shaped exactly as Cal.com sends them (field names, nesting, time formats,
//! flat and wrapped meeting bodies), for the local Cal.com stand-in, tests and benchmarks.

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

fn attendee(f: &BookingFacts) -> Value {
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

fn organizer(f: &BookingFacts) -> Value {
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
fn booking_payload(f: &BookingFacts, status: &str) -> Value {
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

fn envelope(trigger: &str, created_at: Timestamp, payload: Value) -> String {
    json!({ "triggerEvent": trigger, "createdAt": iso_millis(created_at), "payload": payload })
        .to_string()
}

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

/// The stored booking row that meeting webhooks carry.
fn booking_row(f: &BookingFacts) -> Value {
    json!({
        "id": f.booking_id,
        "uid": f.uid,
        "userId": 7,
        "eventTypeId": f.event_type_id,
        "title": f.title,
        "description": "",
        "customInputs": {},
        "responses": { "name": f.attendee_name, "email": f.attendee_email },
        "startTime": iso_millis(f.start),
        "endTime": iso_millis(f.end),
        "location": f.video_call_url.clone().unwrap_or_else(|| "integrations:daily".into()),
        "createdAt": iso_millis(f.created_at),
        "updatedAt": null,
        "status": "ACCEPTED",
        "paid": false,
        "metadata": f.video_call_url.as_ref().map(|url| json!({ "videoCallUrl": url })).unwrap_or_else(|| json!({})),
        "user": { "email": f.organizer_email, "name": f.organizer_name, "timeZone": f.organizer_time_zone, "username": "organizer" },
        "attendees": [{ "id": 1, "email": f.attendee_email, "name": f.attendee_name, "timeZone": f.attendee_time_zone, "locale": "en", "bookingId": f.booking_id, "noShow": false }],
        "references": [],
        "payment": [],
    })
}

/// MEETING_STARTED/ENDED as the cron sends them: flat, the booking row at the top level,
/// no envelope `createdAt` (the `createdAt` present is the booking's).
pub fn meeting_flat(trigger: &str, f: &BookingFacts) -> String {
    let mut row = booking_row(f);
    row["triggerEvent"] = json!(trigger);
    row.to_string()
}

/// MEETING_STARTED/ENDED as newer Cal.com wraps them.
pub fn meeting_wrapped(trigger: &str, f: &BookingFacts, sent_at: Timestamp) -> String {
    envelope(trigger, sent_at, booking_row(f))
}

/// BOOKING_NO_SHOW_UPDATED: a host marked (or un-marked) attendees.
pub fn no_show_updated(f: &BookingFacts, no_show: bool, sent_at: Timestamp) -> String {
    let verb = if no_show { "marked" } else { "unmarked" };
    envelope(
        "BOOKING_NO_SHOW_UPDATED",
        sent_at,
        json!({
            "message": format!("{} {verb} as no-show", f.attendee_email),
            "attendees": [{ "email": f.attendee_email, "noShow": no_show }],
            "bookingUid": f.uid,
            "bookingId": f.booking_id,
        }),
    )
}

/// AFTER_HOSTS_CAL_VIDEO_NO_SHOW / AFTER_GUESTS_CAL_VIDEO_NO_SHOW.
pub fn cal_video_no_show(trigger: &str, f: &BookingFacts, sent_at: Timestamp) -> String {
    let host = trigger == "AFTER_HOSTS_CAL_VIDEO_NO_SHOW";
    let mut payload = json!({
        "title": f.title,
        "bookingId": f.booking_id,
        "bookingUid": f.uid,
        "startTime": iso_millis(f.start),
        "endTime": iso_millis(f.end),
        "attendees": [{ "id": 1, "email": f.attendee_email, "name": f.attendee_name, "timeZone": f.attendee_time_zone }],
        "participants": [],
        "eventType": { "id": f.event_type_id, "teamId": null, "parentId": null },
        "webhook": { "id": "wh_1", "subscriberUrl": "https://example.com/api/webhooks/cal-com", "appId": null, "time": 5, "timeUnit": "MINUTE", "eventTriggers": [trigger], "payloadTemplate": null, "version": "2021-10-20" },
        "message": if host { "Host did not join the call" } else { "Guest did not join the call" },
    });
    if host {
        payload["hostEmail"] = json!(f.organizer_email);
        payload["noShowHost"] = json!(true);
    } else {
        payload["guests"] = json!([{ "email": f.attendee_email, "name": f.attendee_name }]);
    }
    envelope(trigger, sent_at, payload)
}

/// The "ping test" of Cal.com's webhook settings.
pub fn ping(sent_at: Timestamp) -> String {
    let time = iso_millis(sent_at);
    let person = |email: &str, name: &str| json!({ "email": email, "name": name, "timeZone": "Europe/London", "language": { "locale": "en" }, "utcOffset": 0 });
    envelope(
        "PING",
        sent_at,
        json!({
            "type": "Test",
            "title": "Test trigger event",
            "description": "",
            "startTime": time,
            "endTime": time,
            "attendees": [person("jdoe@example.com", "John Doe")],
            "organizer": person("no-reply@cal.com", "Cal"),
        }),
    )
}
