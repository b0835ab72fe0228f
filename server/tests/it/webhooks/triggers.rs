//! Every trigger and body shape of the contract, applied to a lead.

use app::ssr::calcom::payloads::{self, BookingFacts};

use super::{at, booking, count, deliver_expecting, lead_booking, seed_lead, LeadBooking};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend, TestApp};

on_both_backends!(
    a_created_booking_fills_every_booking_field,
    meetings_flat_and_wrapped_and_no_shows_drive_the_outcome,
    a_requested_booking_is_confirmed_or_rejected,
    a_cancellation_with_offset_times_cancels_with_its_reason,
    payments_and_pings_change_no_state,
    cal_video_no_shows_for_host_and_guests_set_no_show,
    an_early_cancellation_applies_once_its_booking_arrives,
);

async fn stage_after(app: &TestApp, lead: &str, body: &str) -> LeadBooking {
    deliver_expecting(app, body, "applied").await;
    lead_booking(&app.state.db, lead).await
}

fn f(lead: &str, uid: &str) -> BookingFacts {
    booking(lead, uid, "2026-10-01T09:00:00Z")
}

async fn a_created_booking_fills_every_booking_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let sent = at("2026-09-20T10:00:00.250Z");
    let row = stage_after(
        &app,
        &lead,
        &payloads::booking_created(&f(&lead, "uidCreated1"), sent),
    )
    .await;
    assert_eq!(row.stage, "booked");
    assert_eq!(row.booking_status.as_deref(), Some("booked"));
    assert_eq!(row.booking_uid.as_deref(), Some("uidCreated1"));
    assert_eq!(
        row.booking_start.map(|t| t.timestamp()),
        Some(at("2026-10-01T09:00:00Z"))
    );
    assert_eq!(
        row.booking_end.map(|t| t.timestamp()),
        Some(at("2026-10-01T09:30:00Z"))
    );
    assert_eq!(row.attendee_time_zone.as_deref(), Some("Europe/Zagreb"));
    assert_eq!(
        row.location.as_deref(),
        Some("https://app.cal.com/video/uidCreated1")
    );
    assert_eq!(row.first_booked_at.map(|t| t.timestamp()), Some(sent));
    assert_eq!(row.reschedule_count, 0);
    assert_eq!(row.cancellation_reason, None);
    assert_eq!(row.last_event.as_deref(), Some("BOOKING_CREATED"));
    assert_eq!(row.last_event_at.map(|t| t.timestamp()), Some(sent));
}

async fn meetings_flat_and_wrapped_and_no_shows_drive_the_outcome(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = f(&lead, "uidMeeting1");
    stage_after(
        &app,
        &lead,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;

    let started = stage_after(
        &app,
        &lead,
        &payloads::meeting_flat("MEETING_STARTED", &facts),
    )
    .await;
    assert_eq!(started.stage, "booked");
    assert_eq!(started.last_event.as_deref(), Some("MEETING_STARTED"));
    assert_eq!(
        started.last_event_at.map(|t| t.timestamp()),
        Some(at("2026-10-01T09:00:00Z"))
    );

    let ended = stage_after(
        &app,
        &lead,
        &payloads::meeting_flat("MEETING_ENDED", &facts),
    )
    .await;
    assert_eq!(ended.stage, "completed");

    let marked = stage_after(
        &app,
        &lead,
        &payloads::no_show_updated(&facts, true, at("2026-10-01T10:00:00Z")),
    )
    .await;
    assert_eq!(marked.stage, "no_show");
    let unmarked = stage_after(
        &app,
        &lead,
        &payloads::no_show_updated(&facts, false, at("2026-10-01T10:05:00Z")),
    )
    .await;
    assert_eq!(
        unmarked.stage, "completed",
        "the un-mark restores what the mark replaced"
    );

    // A second lead whose meeting-ended arrives wrapped.
    let other = seed_lead(&app.state.db).await;
    let facts = f(&other, "uidMeeting2");
    stage_after(
        &app,
        &other,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    let wrapped = stage_after(
        &app,
        &other,
        &payloads::meeting_wrapped("MEETING_ENDED", &facts, at("2026-10-01T09:31:00.000Z")),
    )
    .await;
    assert_eq!(wrapped.stage, "completed");
}

async fn a_requested_booking_is_confirmed_or_rejected(backend: Backend) {
    let app = spawn_app(backend).await;
    let confirmed = seed_lead(&app.state.db).await;
    let facts = f(&confirmed, "uidRequested1");
    let row = stage_after(
        &app,
        &confirmed,
        &payloads::booking_requested(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    assert_eq!(row.stage, "requested");
    assert_eq!(row.first_booked_at, None, "awaiting the host is not booked");
    // The confirmation's BOOKING_CREATED carries no embed metadata: matched by uid.
    let confirmation = BookingFacts {
        submission_id: None,
        ..facts
    };
    let row = stage_after(
        &app,
        &confirmed,
        &payloads::booking_created(&confirmation, at("2026-09-20T12:00:00Z")),
    )
    .await;
    assert_eq!(row.stage, "booked");
    assert_eq!(
        row.first_booked_at.map(|t| t.timestamp()),
        Some(at("2026-09-20T12:00:00Z"))
    );

    let rejected = seed_lead(&app.state.db).await;
    let facts = f(&rejected, "uidRequested2");
    stage_after(
        &app,
        &rejected,
        &payloads::booking_requested(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    let row = stage_after(
        &app,
        &rejected,
        &payloads::booking_rejected(&facts, Some("Fully booked"), at("2026-09-20T11:00:00Z")),
    )
    .await;
    assert_eq!(row.stage, "rejected");
}

async fn a_cancellation_with_offset_times_cancels_with_its_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = f(&lead, "uidCancel1");
    stage_after(
        &app,
        &lead,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    let row = stage_after(
        &app,
        &lead,
        &payloads::booking_cancelled(
            &facts,
            Some("Found a closer clinic"),
            at("2026-09-21T10:00:00Z"),
        ),
    )
    .await;
    assert_eq!(row.stage, "cancelled");
    assert_eq!(
        row.cancellation_reason.as_deref(),
        Some("Found a closer clinic")
    );
    assert_eq!(
        row.booking_start.map(|t| t.timestamp()),
        Some(at("2026-10-01T09:00:00Z"))
    );
}

async fn payments_and_pings_change_no_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = f(&lead, "uidPaid1");
    stage_after(
        &app,
        &lead,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    let row = stage_after(
        &app,
        &lead,
        &payloads::booking_payment_initiated(&facts, at("2026-09-20T10:01:00Z")),
    )
    .await;
    assert_eq!(row.stage, "booked");
    let row = stage_after(
        &app,
        &lead,
        &payloads::booking_paid(&facts, at("2026-09-20T10:02:00Z")),
    )
    .await;
    assert_eq!(row.stage, "booked");
    assert_eq!(row.last_event.as_deref(), Some("BOOKING_PAID"));
    deliver_expecting(&app, &payloads::ping(at("2026-09-20T10:03:00Z")), "applied").await;
    assert_eq!(lead_booking(&app.state.db, &lead).await, row);
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from booking_events where trigger_event = 'PING'"
        )
        .await,
        1
    );
}

async fn cal_video_no_shows_for_host_and_guests_set_no_show(backend: Backend) {
    let app = spawn_app(backend).await;
    for trigger in [
        "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
        "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    ] {
        let lead = seed_lead(&app.state.db).await;
        let facts = f(&lead, &format!("uid{}", &trigger[6..11]));
        stage_after(
            &app,
            &lead,
            &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        )
        .await;
        let row = stage_after(
            &app,
            &lead,
            &payloads::cal_video_no_show(trigger, &facts, at("2026-10-01T09:05:00Z")),
        )
        .await;
        assert_eq!(row.stage, "no_show", "{trigger}");
    }
}

async fn an_early_cancellation_applies_once_its_booking_arrives(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = f(&lead, "uidEarly1");
    let cancel =
        payloads::booking_cancelled(&facts, Some("Changed my mind"), at("2026-09-20T11:00:00Z"));
    deliver_expecting(&app, &cancel, "queued").await;
    assert_eq!(
        lead_booking(&app.state.db, &lead).await.stage,
        "new",
        "held, not applied"
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from webhook_failures").await,
        0,
        "held is not a failure"
    );

    let row = stage_after(
        &app,
        &lead,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    assert_eq!(row.stage, "cancelled");
    assert_eq!(row.cancellation_reason.as_deref(), Some("Changed my mind"));
    assert_eq!(row.last_event.as_deref(), Some("BOOKING_CANCELLED"));
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from booking_events where status = 'held'"
        )
        .await,
        0
    );
}
