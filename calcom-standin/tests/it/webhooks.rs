//! Each action sends the webhook Cal.com would, signed, in a shape the app's parser reads.

use app::{
    domain::booking::{BookingEvent, EventKind},
    ssr::calcom::{
        parse::{parse_delivery, Delivery},
        signature::sign,
    },
};
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::support::{spawn, Received, SECRET};

pub fn parsed(received: &Received) -> BookingEvent {
    match parse_delivery(&received.body, Timestamp::now()) {
        Ok(Delivery::Booking(event)) => *event,
        other => panic!("expected a booking event, got {other:?}"),
    }
}

pub fn assert_signed(received: &Received) {
    assert_eq!(received.signature(), sign(SECRET, &received.body));
    assert_eq!(received.headers["content-type"], "application/json");
}

#[tokio::test]
async fn a_booking_sends_a_signed_booking_created_with_the_submission_id() {
    let standin = spawn().await;
    let submission = uuid::Uuid::new_v4().to_string();
    let (status, answer) = standin
        .post(
            "/standin/api/bookings",
            json!({
                "name": "Ana Kovač",
                "email": "ana.kovac@example.com",
                "start": "2031-10-01T09:00:00Z",
                "timeZone": "Europe/Zagreb",
                "metadata": { "submissionId": submission, "utm": "x" },
            }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let booking = &answer["booking"];
    let uid = booking["uid"].as_str().expect("uid");
    assert_eq!(uid.len(), 22);
    assert_eq!(booking["status"], "ACCEPTED");
    assert_eq!(booking["startTime"], "2031-10-01T09:00:00.000Z");
    assert_eq!(booking["endTime"], "2031-10-01T09:30:00.000Z");
    assert_eq!(booking["metadata"]["submissionId"], submission.as_str());
    assert_eq!(answer["deliveries"][0]["status"], 200);
    assert_eq!(answer["deliveries"][0]["state"], "sent");

    let all = standin.receiver.all();
    assert_eq!(all.len(), 1);
    let received = &all[0];
    assert_signed(received);
    let body = received.json();
    assert_eq!(body["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(
        body["payload"]["metadata"]["submissionId"],
        submission.as_str()
    );
    assert_eq!(body["payload"]["uid"], uid);
    let event = parsed(received);
    assert_eq!(event.kind, EventKind::Created);
    assert_eq!(event.booking_uid.as_deref(), Some(uid));
    assert_eq!(event.submission_id.as_deref(), Some(submission.as_str()));
    assert_eq!(event.attendee_time_zone.as_deref(), Some("Europe/Zagreb"));
    assert_eq!(
        event.start,
        Some("2031-10-01T09:00:00Z".parse().expect("time"))
    );
}

#[tokio::test]
async fn a_booking_without_submission_id_has_none() {
    let standin = spawn().await;
    let (status, _) = standin
        .post(
            "/standin/api/bookings",
            json!({ "name": "Bo", "email": "bo@example.com" }),
        )
        .await;
    assert_eq!(status, 200);
    let event = parsed(&standin.receiver.last());
    assert_eq!(event.submission_id, None);
    assert!(
        event.start.expect("a start") > Timestamp::now(),
        "the next free slot"
    );
}

#[tokio::test]
async fn a_booking_needs_a_name_and_an_email() {
    let standin = spawn().await;
    let (status, answer) = standin
        .post(
            "/standin/api/bookings",
            json!({ "name": " ", "email": "bo@example.com" }),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    let (status, _) = standin
        .post(
            "/standin/api/bookings",
            json!({ "name": "Bo", "email": "bo@example.com", "link": "x/y" }),
        )
        .await;
    assert_eq!(status, 404);
    // Every delivery is logged before it is sent, so an empty log means none is on its way.
    let log = standin.get_json("/standin/api/deliveries").await;
    assert_eq!(log["deliveries"], json!([]));
    assert!(standin.receiver.all().is_empty());
}

#[tokio::test]
async fn a_reschedule_names_the_old_uid_and_the_new_booking_keeps_the_submission() {
    let standin = spawn().await;
    let old = standin.book("sub-r", json!({})).await;
    let (status, answer) = standin
        .act(
            &old,
            "reschedule",
            json!({ "start": "2031-11-03T12:00:00Z" }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let new = answer["booking"]["uid"].as_str().expect("uid");
    assert_ne!(new, old);
    assert_eq!(answer["booking"]["fromReschedule"], old.as_str());
    assert_eq!(answer["booking"]["submissionId"], "sub-r");

    let received = standin.receiver.last();
    assert_signed(&received);
    assert_eq!(received.json()["triggerEvent"], "BOOKING_RESCHEDULED");
    assert_eq!(received.json()["payload"]["rescheduleUid"], old.as_str());
    let event = parsed(&received);
    assert_eq!(event.kind, EventKind::Rescheduled);
    assert_eq!(event.booking_uid.as_deref(), Some(new));
    assert_eq!(event.rescheduled_from.as_deref(), Some(old.as_str()));
    assert_eq!(
        event.start,
        Some("2031-11-03T12:00:00Z".parse().expect("time"))
    );

    let list: Value = standin.get_json("/standin/api/bookings").await;
    let old_row = list["bookings"]
        .as_array()
        .expect("list")
        .iter()
        .find(|b| b["uid"] == old.as_str())
        .cloned()
        .expect("old");
    assert_eq!(old_row["status"], "CANCELLED");
    assert_eq!(old_row["rescheduledTo"], new);
    assert_eq!(old_row["deliveries"][0]["trigger"], "BOOKING_CREATED");
    assert_eq!(old_row["deliveries"][0]["status"], 200);
    assert_eq!(
        standin.receiver.all().len(),
        2,
        "no BOOKING_CANCELLED for the old booking"
    );
}

#[tokio::test]
async fn the_booker_pages_reschedule_is_a_reschedule() {
    let standin = spawn().await;
    let old = standin.book("sub-p", json!({})).await;
    let new = standin.book("sub-p", json!({ "rescheduleUid": old })).await;
    assert_ne!(new, old);
    let event = parsed(&standin.receiver.last());
    assert_eq!(event.kind, EventKind::Rescheduled);
    assert_eq!(event.rescheduled_from.as_deref(), Some(old.as_str()));
}

#[tokio::test]
async fn a_cancellation_carries_its_reason_and_no_metadata() {
    let standin = spawn().await;
    let uid = standin.book("sub-c", json!({})).await;
    let (status, answer) = standin
        .act(&uid, "cancel", json!({ "reason": "Feeling better" }))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["booking"]["status"], "CANCELLED");
    let received = standin.receiver.last();
    assert_signed(&received);
    let body = received.json();
    assert_eq!(body["triggerEvent"], "BOOKING_CANCELLED");
    assert_eq!(body["payload"]["cancellationReason"], "Feeling better");
    assert!(body["payload"].get("metadata").is_none());
    let event = parsed(&received);
    assert_eq!(event.kind, EventKind::Cancelled);
    assert_eq!(event.cancellation_reason.as_deref(), Some("Feeling better"));

    let (status, answer) = standin.act(&uid, "cancel", json!({})).await;
    assert_eq!(status, 409, "{answer}");
    let (status, _) = standin.act(&uid, "cancel", json!({ "force": true })).await;
    assert_eq!(status, 200);
}
