use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn event(kind: EventKind, time: &str, uid: &str) -> BookingEvent {
    let trigger = match kind {
        EventKind::Requested => "BOOKING_REQUESTED",
        EventKind::Created => "BOOKING_CREATED",
        EventKind::Rescheduled => "BOOKING_RESCHEDULED",
        EventKind::Cancelled => "BOOKING_CANCELLED",
        EventKind::Rejected => "BOOKING_REJECTED",
        EventKind::PaymentInitiated => "BOOKING_PAYMENT_INITIATED",
        EventKind::Paid => "BOOKING_PAID",
        EventKind::MeetingStarted => "MEETING_STARTED",
        EventKind::MeetingEnded => "MEETING_ENDED",
        EventKind::NoShowMarked | EventKind::NoShowUnmarked => "BOOKING_NO_SHOW_UPDATED",
    };
    BookingEvent {
        trigger: trigger.into(),
        kind,
        at: at(time),
        booking_uid: Some(uid.into()),
        rescheduled_from: None,
        submission_id: None,
        start: None,
        end: None,
        attendee_time_zone: None,
        location: None,
        cancellation_reason: None,
        event_type: None,
        event_type_id: None,
        attendee_name: None,
        attendee_email: None,
    }
}

fn created(time: &str, uid: &str, start: &str, end: &str) -> BookingEvent {
    BookingEvent {
        start: Some(at(start)),
        end: Some(at(end)),
        attendee_time_zone: Some("Europe/Zagreb".into()),
        location: Some("https://app.cal.com/video/x".into()),
        ..event(EventKind::Created, time, uid)
    }
}

fn rescheduled(time: &str, from: &str, to: &str, start: &str) -> BookingEvent {
    BookingEvent {
        rescheduled_from: Some(from.into()),
        start: Some(at(start)),
        end: Some(at(start)),
        ..event(EventKind::Rescheduled, time, to)
    }
}

#[test]
fn no_events_leave_the_lead_where_it_was() {
    let p = project(Stage::Invited, &[]);
    assert_eq!(p.stage, Stage::Invited);
    assert_eq!(p.booking_status, None);
    assert_eq!(p.first_booked_at, None);
}

#[test]
fn a_created_booking_fills_the_booking_fields() {
    let p = project(
        Stage::Invited,
        &[created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        )],
    );
    assert_eq!(p.stage, Stage::Booked);
    assert_eq!(p.booking_status, Some(Stage::Booked));
    assert_eq!(p.booking_uid.as_deref(), Some("A"));
    assert_eq!(p.booking_start, Some(at("2026-10-02T09:00:00Z")));
    assert_eq!(p.booking_end, Some(at("2026-10-02T09:30:00Z")));
    assert_eq!(p.attendee_time_zone.as_deref(), Some("Europe/Zagreb"));
    assert_eq!(p.first_booked_at, Some(at("2026-10-01T08:00:00Z")));
    assert_eq!(p.last_event.as_deref(), Some("BOOKING_CREATED"));
}

#[test]
fn a_reschedule_chain_follows_the_newest_uid_and_counts_each_move() {
    let events = vec![
        created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        ),
        rescheduled("2026-10-01T09:00:00Z", "A", "B", "2026-10-03T09:00:00Z"),
        rescheduled("2026-10-01T10:00:00Z", "B", "C", "2026-10-04T09:00:00Z"),
        rescheduled("2026-10-01T11:00:00Z", "C", "D", "2026-10-05T09:00:00Z"),
        // A duplicate delivery of the last move (another subscription scope).
        rescheduled("2026-10-01T11:00:01Z", "C", "D", "2026-10-05T09:00:00Z"),
    ];
    let p = project(Stage::Invited, &events);
    assert_eq!(p.stage, Stage::Rescheduled);
    assert_eq!(p.booking_uid.as_deref(), Some("D"));
    assert_eq!(p.reschedule_count, 3);
    assert_eq!(p.booking_start, Some(at("2026-10-05T09:00:00Z")));
    assert_eq!(p.first_booked_at, Some(at("2026-10-01T08:00:00Z")));
}

#[test]
fn events_about_a_superseded_booking_change_nothing() {
    let events = vec![
        created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        ),
        rescheduled("2026-10-01T09:00:00Z", "A", "B", "2026-10-03T09:00:00Z"),
        event(EventKind::Cancelled, "2026-10-01T10:00:00Z", "A"),
    ];
    let p = project(Stage::Invited, &events);
    assert_eq!(p.stage, Stage::Rescheduled);
    assert_eq!(p.booking_uid.as_deref(), Some("B"));
    assert_eq!(p.last_event.as_deref(), Some("BOOKING_RESCHEDULED"));
}

#[test]
fn an_older_event_arriving_late_does_not_move_the_state_back() {
    let cancel = BookingEvent {
        cancellation_reason: Some("Found another provider".into()),
        ..event(EventKind::Cancelled, "2026-10-01T12:00:00Z", "A")
    };
    let create = created(
        "2026-10-01T08:00:00Z",
        "A",
        "2026-10-02T09:00:00Z",
        "2026-10-02T09:30:00Z",
    );
    let in_order = project(Stage::Invited, &[create.clone(), cancel.clone()]);
    let late = project(Stage::Invited, &[cancel, create]);
    assert_eq!(in_order, late);
    assert_eq!(late.stage, Stage::Cancelled);
    assert_eq!(
        late.cancellation_reason.as_deref(),
        Some("Found another provider")
    );
    assert_eq!(late.booking_start, Some(at("2026-10-02T09:00:00Z")));
}

#[test]
fn an_unmarked_no_show_restores_the_stage_before_it() {
    let events = vec![
        created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        ),
        event(EventKind::MeetingEnded, "2026-10-02T09:30:00Z", "A"),
        event(EventKind::NoShowMarked, "2026-10-02T10:00:00Z", "A"),
        event(EventKind::NoShowUnmarked, "2026-10-02T10:05:00Z", "A"),
    ];
    assert_eq!(project(Stage::Invited, &events[..3]).stage, Stage::NoShow);
    assert_eq!(project(Stage::Invited, &events).stage, Stage::Completed);
}

#[test]
fn a_no_show_before_the_meeting_ends_stays_a_no_show() {
    let events = vec![
        created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        ),
        event(EventKind::MeetingStarted, "2026-10-02T09:00:00Z", "A"),
        event(EventKind::NoShowMarked, "2026-10-02T09:10:00Z", "A"),
        event(EventKind::MeetingEnded, "2026-10-02T09:30:00Z", "A"),
    ];
    assert_eq!(project(Stage::Invited, &events).stage, Stage::NoShow);
}

#[test]
fn a_requested_booking_is_not_booked_until_confirmed() {
    let requested = BookingEvent {
        start: Some(at("2026-10-02T09:00:00Z")),
        ..event(EventKind::Requested, "2026-10-01T08:00:00Z", "A")
    };
    let p = project(Stage::Invited, std::slice::from_ref(&requested));
    assert_eq!(p.stage, Stage::Requested);
    assert_eq!(p.first_booked_at, None);

    let confirmed = event(EventKind::Created, "2026-10-01T09:00:00Z", "A");
    let p = project(Stage::Invited, &[requested, confirmed]);
    assert_eq!(p.stage, Stage::Booked);
    assert_eq!(p.first_booked_at, Some(at("2026-10-01T09:00:00Z")));
    assert_eq!(p.booking_start, Some(at("2026-10-02T09:00:00Z")));
}

#[test]
fn every_delivery_order_folds_to_the_same_projection() {
    let mut events = vec![
        created(
            "2026-10-01T08:00:00Z",
            "A",
            "2026-10-02T09:00:00Z",
            "2026-10-02T09:30:00Z",
        ),
        rescheduled("2026-10-01T09:00:00Z", "A", "B", "2026-10-03T09:00:00Z"),
        event(EventKind::MeetingStarted, "2026-10-03T09:00:00Z", "B"),
        event(EventKind::MeetingEnded, "2026-10-03T09:30:00Z", "B"),
        event(EventKind::NoShowMarked, "2026-10-03T09:30:00Z", "B"),
    ];
    let expected = project(Stage::Invited, &events);
    assert_eq!(expected.stage, Stage::NoShow);
    // Heap's algorithm: all 120 orders.
    fn permute(k: usize, events: &mut Vec<BookingEvent>, expected: &BookingProjection) {
        if k == 1 {
            assert_eq!(&project(Stage::Invited, events), expected);
            return;
        }
        for i in 0..k {
            permute(k - 1, events, expected);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            events.swap(j, k - 1);
        }
    }
    let n = events.len();
    permute(n, &mut events, &expected);
}

#[test]
fn an_event_that_decides_the_stage_alone_does_so_for_new_and_invited_leads() {
    for kind in EventKind::ALL {
        let only = [event(kind, "2026-10-01T08:00:00Z", "A")];
        let from_new = project(Stage::New, &only);
        let from_invited = project(Stage::Invited, &only);
        assert_eq!(
            from_new == from_invited,
            kind.decides_stage_alone(),
            "{kind:?}: {from_new:?} / {from_invited:?}"
        );
    }
}
