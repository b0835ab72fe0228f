//! The bodies about a meeting: started and ended (flat or wrapped), no-show marks, Cal Video
//! no-shows, and the ping test.

use jiff::Timestamp;
use serde_json::{json, Value};

use super::facts::{envelope, iso_millis, BookingFacts};

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
