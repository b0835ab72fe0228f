use super::*;
use crate::ssr::calcom::payloads::{self, BookingFacts};

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn facts() -> BookingFacts {
    BookingFacts {
        uid: "k7QZ3n9Xb2aPq4RtV8wLmC".into(),
        booking_id: 1234,
        event_type_id: 55,
        event_slug: "intro".into(),
        title: "Intro between Maja Novak and Ana Kovač".into(),
        start: at("2026-10-01T09:00:00Z"),
        end: at("2026-10-01T09:30:00Z"),
        attendee_name: "Ana Kovač".into(),
        attendee_email: "ana.kovac@example.com".into(),
        attendee_time_zone: "Europe/Zagreb".into(),
        organizer_name: "Maja Novak".into(),
        organizer_email: "maja@example.com".into(),
        organizer_time_zone: "Europe/London".into(),
        submission_id: Some("00000000-0000-4000-8000-000000000001".into()),
        video_call_url: Some("https://app.cal.com/video/k7QZ3n9Xb2aPq4RtV8wLmC".into()),
        created_at: at("2026-09-20T10:00:00.123Z"),
    }
}

const RECEIVED: &str = "2026-12-01T00:00:00Z";

fn booking(body: &str) -> BookingEvent {
    match parse_delivery(body.as_bytes(), at(RECEIVED)) {
        Ok(Delivery::Booking(event)) => *event,
        other => panic!("expected a booking event, got {other:?} from {body}"),
    }
}

#[test]
fn booking_created_carries_the_booking_and_the_submission_id() {
    let sent = at("2026-09-20T10:00:01.456Z");
    let event = booking(&payloads::booking_created(&facts(), sent));
    assert_eq!(event.kind, EventKind::Created);
    assert_eq!(event.trigger, "BOOKING_CREATED");
    assert_eq!(event.at, sent);
    assert_eq!(event.booking_uid.as_deref(), Some("k7QZ3n9Xb2aPq4RtV8wLmC"));
    assert_eq!(
        event.submission_id.as_deref(),
        Some("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(event.start, Some(at("2026-10-01T09:00:00Z")));
    assert_eq!(event.end, Some(at("2026-10-01T09:30:00Z")));
    assert_eq!(event.attendee_time_zone.as_deref(), Some("Europe/Zagreb"));
    assert_eq!(
        event.location.as_deref(),
        Some("https://app.cal.com/video/k7QZ3n9Xb2aPq4RtV8wLmC")
    );
    assert_eq!(event.rescheduled_from, None);
}

#[test]
fn a_reschedule_names_the_new_and_the_old_booking() {
    let old = facts();
    let new = BookingFacts {
        uid: "NEWuid22charsXXXXXXXXX".into(),
        booking_id: 1235,
        start: at("2026-10-02T09:00:00Z"),
        end: at("2026-10-02T09:30:00Z"),
        ..facts()
    };
    let event = booking(&payloads::booking_rescheduled(
        &new,
        &old,
        at("2026-09-21T08:00:00Z"),
    ));
    assert_eq!(event.kind, EventKind::Rescheduled);
    assert_eq!(event.booking_uid.as_deref(), Some("NEWuid22charsXXXXXXXXX"));
    assert_eq!(
        event.rescheduled_from.as_deref(),
        Some("k7QZ3n9Xb2aPq4RtV8wLmC")
    );
    assert_eq!(
        event.submission_id, None,
        "a reschedule request carries no embed metadata"
    );
    assert_eq!(event.start, Some(at("2026-10-02T09:00:00Z")));
}

#[test]
fn a_cancellation_reads_offset_times_and_the_reason() {
    let body = payloads::booking_cancelled(
        &facts(),
        Some("Found another provider"),
        at("2026-09-22T08:00:00Z"),
    );
    assert!(body.contains("2026-10-01T09:00:00+00:00"));
    let event = booking(&body);
    assert_eq!(event.kind, EventKind::Cancelled);
    assert_eq!(event.start, Some(at("2026-10-01T09:00:00Z")));
    assert_eq!(
        event.cancellation_reason.as_deref(),
        Some("Found another provider")
    );
    assert_eq!(event.submission_id, None);
    let without_reason = booking(&payloads::booking_cancelled(
        &facts(),
        None,
        at("2026-09-22T08:00:00Z"),
    ));
    assert_eq!(without_reason.cancellation_reason, None);
}

#[test]
fn requests_rejections_and_payments_map_to_their_kinds() {
    let sent = at("2026-09-20T10:00:00Z");
    assert_eq!(
        booking(&payloads::booking_requested(&facts(), sent)).kind,
        EventKind::Requested
    );
    assert_eq!(
        booking(&payloads::booking_rejected(&facts(), Some("Busy"), sent)).kind,
        EventKind::Rejected
    );
    assert_eq!(
        booking(&payloads::booking_paid(&facts(), sent)).kind,
        EventKind::Paid
    );
    assert_eq!(
        booking(&payloads::booking_payment_initiated(&facts(), sent)).kind,
        EventKind::PaymentInitiated
    );
    let paid = booking(&payloads::booking_paid(&facts(), sent));
    assert_eq!(
        paid.submission_id, None,
        "payment metadata replaces the embed's"
    );
}

#[test]
fn a_flat_meeting_body_takes_its_time_from_the_meeting_not_the_booking() {
    let started = booking(&payloads::meeting_flat("MEETING_STARTED", &facts()));
    assert_eq!(started.kind, EventKind::MeetingStarted);
    assert_eq!(
        started.at,
        at("2026-10-01T09:00:00Z"),
        "not the booking's createdAt"
    );
    assert_eq!(
        started.booking_uid.as_deref(),
        Some("k7QZ3n9Xb2aPq4RtV8wLmC")
    );
    let ended = booking(&payloads::meeting_flat("MEETING_ENDED", &facts()));
    assert_eq!(ended.kind, EventKind::MeetingEnded);
    assert_eq!(ended.at, at("2026-10-01T09:30:00Z"));
}

#[test]
fn a_wrapped_meeting_body_takes_its_time_from_the_envelope() {
    let sent = at("2026-10-01T09:31:02.500Z");
    let ended = booking(&payloads::meeting_wrapped("MEETING_ENDED", &facts(), sent));
    assert_eq!(ended.kind, EventKind::MeetingEnded);
    assert_eq!(ended.at, sent);
    assert_eq!(
        ended.start,
        Some(at("2026-10-01T09:00:00Z")),
        "….000Z times read too"
    );
}

#[test]
fn no_show_updates_mark_and_unmark() {
    let sent = at("2026-10-01T10:00:00Z");
    let marked = booking(&payloads::no_show_updated(&facts(), true, sent));
    assert_eq!(marked.kind, EventKind::NoShowMarked);
    assert_eq!(
        marked.booking_uid.as_deref(),
        Some("k7QZ3n9Xb2aPq4RtV8wLmC")
    );
    let unmarked = booking(&payloads::no_show_updated(&facts(), false, sent));
    assert_eq!(unmarked.kind, EventKind::NoShowUnmarked);
    for trigger in [
        "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
        "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    ] {
        let event = booking(&payloads::cal_video_no_show(trigger, &facts(), sent));
        assert_eq!(event.kind, EventKind::NoShowMarked, "{trigger}");
        assert_eq!(event.booking_uid.as_deref(), Some("k7QZ3n9Xb2aPq4RtV8wLmC"));
    }
}

#[test]
fn a_ping_is_recognised() {
    let sent = at("2026-10-01T10:00:00.001Z");
    assert_eq!(
        parse_delivery(payloads::ping(sent).as_bytes(), at(RECEIVED)),
        Ok(Delivery::Ping {
            trigger: "PING".into(),
            at: sent
        })
    );
}

#[test]
fn every_time_format_cal_com_uses_parses_to_the_same_instant() {
    for text in [
        "2026-10-01T09:00:00Z",
        "2026-10-01T09:00:00.000Z",
        "2026-10-01T09:00:00+00:00",
        "2026-10-01T11:00:00+02:00",
    ] {
        let body = format!(
            r#"{{"triggerEvent":"BOOKING_CANCELLED","createdAt":"{text}","payload":{{"uid":"u1","startTime":"{text}"}}}}"#
        );
        let event = booking(&body);
        assert_eq!(event.at, at("2026-10-01T09:00:00Z"), "{text}");
        assert_eq!(event.start, Some(at("2026-10-01T09:00:00Z")), "{text}");
    }
}

#[test]
fn unknown_triggers_are_told_apart_from_malformed_bodies() {
    let form = r#"{"name":"x","triggerEvent":"FORM_SUBMITTED","createdAt":"2026-10-01T09:00:00.000Z","payload":{"formId":"f"}}"#;
    assert_eq!(
        parse_delivery(form.as_bytes(), at(RECEIVED)),
        Ok(Delivery::Unknown {
            trigger: "FORM_SUBMITTED".into()
        })
    );
    type Check = fn(&MalformedBody) -> bool;
    let cases: &[(&str, Check)] = &[
        ("", |e| matches!(e, MalformedBody::NotJson(_))),
        ("{", |e| matches!(e, MalformedBody::NotJson(_))),
        ("[1,2]", |e| matches!(e, MalformedBody::NotAnObject)),
        ("{}", |e| matches!(e, MalformedBody::NoTrigger)),
        (r#"{"triggerEvent":"BOOKING_CREATED"}"#, |e| {
            matches!(
                e,
                MalformedBody::Missing {
                    field: "payload",
                    ..
                }
            )
        }),
        (
            r#"{"triggerEvent":"BOOKING_CREATED","payload":{"title":"x"}}"#,
            |e| matches!(e, MalformedBody::Missing { field: "uid", .. }),
        ),
        (
            r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"yesterday","payload":{"uid":"u"}}"#,
            |e| matches!(e, MalformedBody::BadTime { .. }),
        ),
        (
            r#"{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"u","startTime":12}}"#,
            |e| matches!(e, MalformedBody::BadTime { .. }),
        ),
    ];
    for (body, check) in cases {
        let error = parse_delivery(body.as_bytes(), at(RECEIVED)).expect_err(body);
        assert!(check(&error), "{body}: {error:?}");
    }
}

#[test]
fn a_body_without_an_event_time_falls_back_to_when_it_arrived() {
    let body = r#"{"triggerEvent":"BOOKING_CANCELLED","payload":{"uid":"u1"}}"#;
    assert_eq!(booking(body).at, at(RECEIVED));
}
