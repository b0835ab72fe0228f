//! Reading one booking of Cal.com's bookings API (v2, `2024-08-13`) into an [`ApiBooking`].

use jiff::Timestamp;
use serde_json::Value;

use crate::domain::reconcile::{ApiBooking, ApiStatus};

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn time(value: &Value, key: &str) -> Result<Option<Timestamp>, String> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(t)) => t
            .parse::<Timestamp>()
            .map(Some)
            .map_err(|e| format!("`{key}` is not a time: {e}")),
        Some(other) => Err(format!("`{key}` is not a time: {other}")),
    }
}

fn required_time(value: &Value, key: &str) -> Result<Timestamp, String> {
    time(value, key)?.ok_or_else(|| format!("`{key}` is missing"))
}

/// One item of `data` in `GET /v2/bookings`, or `data` of `GET /v2/bookings/{uid}`.
pub fn parse_booking(value: &Value) -> Result<ApiBooking, String> {
    let uid = text(value, "uid").ok_or("`uid` is missing")?;
    let status = text(value, "status").ok_or("`status` is missing")?;
    let attendee = value
        .get("attendees")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or(Value::Null);
    let attendee_absent = attendee
        .get("absent")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let host_absent = value
        .get("absentHost")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let metadata = value.get("metadata").cloned().unwrap_or(Value::Null);
    let event_type = value.get("eventType").cloned().unwrap_or(Value::Null);
    Ok(ApiBooking {
        uid,
        status: ApiStatus::parse(&status),
        start: required_time(value, "start")?,
        end: required_time(value, "end")?,
        created_at: required_time(value, "createdAt")?,
        updated_at: time(value, "updatedAt")?,
        rescheduled_from_uid: text(value, "rescheduledFromUid"),
        rescheduled_to_uid: text(value, "rescheduledToUid"),
        cancellation_reason: text(value, "cancellationReason"),
        no_show: attendee_absent || host_absent,
        submission_id: text(&metadata, "submissionId"),
        event_type_id: value
            .get("eventTypeId")
            .and_then(Value::as_i64)
            .or_else(|| event_type.get("id").and_then(Value::as_i64)),
        event_type: text(&event_type, "slug"),
        attendee_name: text(&attendee, "name"),
        attendee_email: text(&attendee, "email"),
        attendee_time_zone: text(&attendee, "timeZone"),
        location: text(value, "location"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The example booking of Cal.com's `booking.output.ts`, as its output service fills it.
    fn example() -> Value {
        json!({"id": 123, "uid": "8ZxV3", "title": "Intro call", "description": "",
         "status": "accepted",
         "start": "2026-10-01T09:00:00.000Z", "end": "2026-10-01T09:30:00.000Z", "duration": 30,
         "createdAt": "2026-09-28T14:02:11.000Z", "updatedAt": "2026-09-28T14:02:11.000Z",
         "rescheduledFromUid": null, "rescheduledToUid": null,
         "reschedulingReason": null, "rescheduledByEmail": null,
         "cancellationReason": "", "cancelledByEmail": "",
         "absentHost": false,
         "attendees": [{"name": "Ana Kovač", "email": "ana@example.com", "displayEmail": "ana@example.com",
                        "timeZone": "Europe/Zagreb", "language": "en", "absent": false, "phoneNumber": null}],
         "hosts": [{"id": 1, "name": "Maja", "email": "maja@example.com", "displayEmail": "maja@example.com",
                    "username": "maja", "timeZone": "Europe/Berlin"}],
         "guests": [], "location": "https://cal.com/video/8ZxV3", "meetingUrl": "https://cal.com/video/8ZxV3",
         "eventTypeId": 50, "eventType": {"id": 50, "slug": "intro"},
         "metadata": {"submissionId": "5f0c"}, "icsUid": "x", "rating": null,
         "bookingFieldsResponses": {"name": "Ana Kovač", "email": "ana@example.com"}})
    }

    #[test]
    fn the_documented_booking_reads_whole() {
        let booking = parse_booking(&example()).expect("parses");
        assert_eq!(booking.uid, "8ZxV3");
        assert_eq!(booking.status, ApiStatus::Accepted);
        assert_eq!(
            booking.start,
            "2026-10-01T09:00:00Z".parse::<Timestamp>().expect("t")
        );
        assert_eq!(booking.submission_id.as_deref(), Some("5f0c"));
        assert_eq!(booking.event_type_id, Some(50));
        assert_eq!(booking.event_type.as_deref(), Some("intro"));
        assert_eq!(booking.attendee_email.as_deref(), Some("ana@example.com"));
        assert_eq!(booking.attendee_time_zone.as_deref(), Some("Europe/Zagreb"));
        assert_eq!(booking.cancellation_reason, None, "an empty reason is none");
        assert!(!booking.no_show);
    }

    #[test]
    fn absence_of_the_attendee_or_the_host_is_a_no_show() {
        let mut attendee = example();
        attendee["attendees"][0]["absent"] = json!(true);
        assert!(parse_booking(&attendee).expect("parses").no_show);
        let mut host = example();
        host["absentHost"] = json!(true);
        assert!(parse_booking(&host).expect("parses").no_show);
    }

    #[test]
    fn a_never_updated_booking_and_a_broken_one() {
        let mut never = example();
        never["updatedAt"] = Value::Null;
        assert_eq!(parse_booking(&never).expect("parses").updated_at, None);
        let mut broken = example();
        broken["start"] = json!("soon");
        assert!(parse_booking(&broken)
            .expect_err("refused")
            .contains("start"));
        let mut no_uid = example();
        no_uid.as_object_mut().expect("object").remove("uid");
        assert!(parse_booking(&no_uid).is_err());
    }
}
