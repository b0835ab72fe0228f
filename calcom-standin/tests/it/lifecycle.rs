//! The rest of a booking's life: confirmation, rejection, meetings, no-shows, and the ping.

use app::{
    domain::booking::EventKind,
    ssr::calcom::parse::{parse_delivery, Delivery},
};
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::{
    support::spawn,
    webhooks::{assert_signed, parsed},
};

#[tokio::test]
async fn a_request_is_pending_until_confirmed_and_the_confirmation_has_no_metadata() {
    let standin = spawn().await;
    let uid = standin
        .book("sub-q", json!({ "requiresConfirmation": true }))
        .await;
    let requested = standin.receiver.last();
    assert_eq!(requested.json()["triggerEvent"], "BOOKING_REQUESTED");
    assert_eq!(requested.json()["payload"]["status"], "PENDING");
    let event = parsed(&requested);
    assert_eq!(event.kind, EventKind::Requested);
    assert_eq!(event.submission_id.as_deref(), Some("sub-q"));

    let (status, answer) = standin.act(&uid, "confirm", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["booking"]["status"], "ACCEPTED");
    let confirmed = standin.receiver.last();
    assert_signed(&confirmed);
    assert_eq!(confirmed.json()["triggerEvent"], "BOOKING_CREATED");
    let event = parsed(&confirmed);
    assert_eq!(event.kind, EventKind::Created);
    assert_eq!(event.booking_uid.as_deref(), Some(uid.as_str()));
    assert_eq!(event.submission_id, None);

    let (status, _) = standin.act(&uid, "reject", json!({})).await;
    assert_eq!(status, 409, "an accepted booking cannot be rejected");
}

#[tokio::test]
async fn a_rejection_carries_its_reason() {
    let standin = spawn().await;
    let uid = standin
        .book("sub-j", json!({ "requires_confirmation": true }))
        .await;
    let (status, answer) = standin
        .act(&uid, "reject", json!({ "reason": "Fully booked" }))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["booking"]["status"], "REJECTED");
    let body = standin.receiver.last().json();
    assert_eq!(body["triggerEvent"], "BOOKING_REJECTED");
    assert_eq!(body["payload"]["rejectionReason"], "Fully booked");
    assert_eq!(parsed(&standin.receiver.last()).kind, EventKind::Rejected);
}

#[tokio::test]
async fn a_pending_bookings_reschedule_is_requested_again() {
    let standin = spawn().await;
    let old = standin
        .book("sub-pr", json!({ "requiresConfirmation": true }))
        .await;
    let (status, answer) = standin.act(&old, "reschedule", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["booking"]["status"], "PENDING");
    let event = parsed(&standin.receiver.last());
    assert_eq!(event.trigger, "BOOKING_REQUESTED");
    assert_eq!(event.kind, EventKind::Requested);
    assert_eq!(event.rescheduled_from.as_deref(), Some(old.as_str()));
}

#[tokio::test]
async fn meeting_and_no_show_actions_send_their_triggers() {
    let standin = spawn().await;
    let uid = standin.book("sub-m", json!({})).await;
    let cases: [(&str, Value, &str, EventKind); 7] = [
        (
            "meeting-started",
            json!({}),
            "MEETING_STARTED",
            EventKind::MeetingStarted,
        ),
        (
            "meeting-ended",
            json!({ "flat": true }),
            "MEETING_ENDED",
            EventKind::MeetingEnded,
        ),
        (
            "no-show",
            json!({}),
            "BOOKING_NO_SHOW_UPDATED",
            EventKind::NoShowMarked,
        ),
        (
            "no-show-undo",
            json!({}),
            "BOOKING_NO_SHOW_UPDATED",
            EventKind::NoShowUnmarked,
        ),
        (
            "host-no-show",
            json!({}),
            "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
            EventKind::NoShowMarked,
        ),
        (
            "guest-no-show",
            json!({}),
            "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
            EventKind::NoShowMarked,
        ),
        (
            "meeting-started",
            json!({ "flat": false }),
            "MEETING_STARTED",
            EventKind::MeetingStarted,
        ),
    ];
    for (action, body, trigger, kind) in cases {
        let (status, answer) = standin.act(&uid, action, body.clone()).await;
        assert_eq!(status, 200, "{action}: {answer}");
        let received = standin.receiver.last();
        assert_signed(&received);
        let json = received.json();
        assert_eq!(json["triggerEvent"], trigger, "{action}");
        let flat = body["flat"] == true;
        assert_eq!(
            json.get("payload").is_none(),
            flat,
            "{action}: flat is {flat}"
        );
        let event = parsed(&received);
        assert_eq!(event.kind, kind, "{action}");
        assert_eq!(event.booking_uid.as_deref(), Some(uid.as_str()), "{action}");
    }
    let (status, _) = standin.act(&uid, "teleport", json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn event_times_increase_with_every_webhook() {
    let standin = spawn().await;
    let uid = standin.book("sub-t", json!({})).await;
    for action in ["no-show", "no-show-undo", "no-show", "cancel"] {
        let (status, _) = standin.act(&uid, action, json!({})).await;
        assert_eq!(status, 200);
    }
    let times: Vec<Timestamp> = standin
        .receiver
        .all()
        .iter()
        .map(|r| {
            r.json()["createdAt"]
                .as_str()
                .expect("createdAt")
                .parse()
                .expect("time")
        })
        .collect();
    assert_eq!(times.len(), 5);
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    let now = Timestamp::now();
    assert!(
        times.iter().all(|t| t.duration_until(now).as_secs() < 60),
        "real clock time"
    );
}

#[tokio::test]
async fn a_ping_is_a_signed_ping() {
    let standin = spawn().await;
    let (status, answer) = standin.post("/standin/api/ping", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    let received = standin.receiver.last();
    assert_signed(&received);
    assert!(matches!(
        parse_delivery(&received.body, Timestamp::now()),
        Ok(Delivery::Ping { .. })
    ));
}
