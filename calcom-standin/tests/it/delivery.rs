//! The ways a delivery can be spoiled: twice, mis-signed, held and flushed out of order,
//! delayed, dropped.

use app::ssr::calcom::signature::{sign, verify, Verdict};
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::support::{spawn, spawn_unreachable, SECRET};

#[tokio::test]
async fn twice_sends_the_identical_bytes_twice() {
    let standin = spawn().await;
    let uid = standin.book("sub-2", json!({})).await;
    let (status, answer) = standin.act(&uid, "cancel", json!({ "twice": true })).await;
    assert_eq!(status, 200);
    assert_eq!(answer["deliveries"].as_array().expect("list").len(), 2);
    let all = standin.receiver.all();
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].body, all[2].body);
    assert_eq!(all[1].signature(), all[2].signature());
}

#[tokio::test]
async fn mis_sign_sends_a_signature_that_does_not_verify() {
    let standin = spawn().await;
    standin.book("sub-x", json!({ "mis_sign": true })).await;
    let received = standin.receiver.last();
    assert_eq!(received.json()["triggerEvent"], "BOOKING_CREATED");
    assert_ne!(received.signature(), sign(SECRET, &received.body));
    assert_eq!(
        verify(
            &[SecretString::from(SECRET)],
            Some(received.signature().as_bytes()),
            &received.body
        ),
        Verdict::Invalid
    );
    let deliveries: Value = standin.get_json("/standin/api/deliveries").await;
    assert_eq!(deliveries["deliveries"][0]["signed_with_secret"], false);
}

#[tokio::test]
async fn held_deliveries_are_flushed_newest_first_when_reversed() {
    let standin = spawn().await;
    let uid = standin.book("sub-h", json!({ "hold": true })).await;
    let (_, answer) = standin.act(&uid, "no-show", json!({ "hold": true })).await;
    assert_eq!(answer["deliveries"][0]["state"], "held");
    standin.act(&uid, "cancel", json!({ "hold": true })).await;
    assert!(standin.receiver.all().is_empty(), "nothing sent while held");

    let (status, answer) = standin
        .post("/standin/api/outbox/flush", json!({ "reverse": true }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["deliveries"].as_array().expect("list").len(), 3);
    let triggers: Vec<String> = standin
        .receiver
        .all()
        .iter()
        .map(|r| {
            r.json()["triggerEvent"]
                .as_str()
                .expect("trigger")
                .to_owned()
        })
        .collect();
    assert_eq!(
        triggers,
        [
            "BOOKING_CANCELLED",
            "BOOKING_NO_SHOW_UPDATED",
            "BOOKING_CREATED"
        ]
    );
    let (_, answer) = standin.post("/standin/api/outbox/flush", json!({})).await;
    assert_eq!(answer["deliveries"], json!([]), "the outbox is empty now");
}

#[tokio::test]
async fn held_deliveries_are_flushed_in_order_by_default() {
    let standin = spawn().await;
    let uid = standin.book("sub-o", json!({ "hold": true })).await;
    standin.act(&uid, "cancel", json!({ "hold": true })).await;
    standin
        .post("/standin/api/outbox/flush", json!({ "reverse": false }))
        .await;
    let triggers: Vec<Value> = standin
        .receiver
        .all()
        .iter()
        .map(|r| r.json()["triggerEvent"].clone())
        .collect();
    assert_eq!(
        triggers,
        [json!("BOOKING_CREATED"), json!("BOOKING_CANCELLED")]
    );
}

#[tokio::test]
async fn a_delayed_delivery_is_answered_at_once_and_sent_later() {
    let standin = spawn().await;
    let (status, answer) = standin
        .post(
            "/standin/api/bookings",
            json!({ "name": "Bo", "email": "bo@example.com", "delay_ms": 300 }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["deliveries"][0]["state"], "scheduled");
    assert!(standin.receiver.all().is_empty());
    let got = standin.receiver.wait_for(1).await;
    assert_eq!(got[0].json()["triggerEvent"], "BOOKING_CREATED");
    let log = standin.settled_log().await;
    assert_eq!(log["deliveries"][0]["state"], "sent");
    assert_eq!(log["deliveries"][0]["status"], 200);
}

#[tokio::test]
async fn dropped_deliveries_are_logged_but_never_sent() {
    let standin = spawn().await;
    let uid = standin.book("sub-d", json!({ "drop": true })).await;
    standin
        .post("/standin/api/settings", json!({ "drop_webhooks": true }))
        .await;
    let (_, answer) = standin.act(&uid, "cancel", json!({})).await;
    assert_eq!(answer["deliveries"][0]["state"], "dropped");

    // Sent the same way after the drops, the ping would arrive after any of them that went out.
    standin
        .post("/standin/api/settings", json!({ "drop_webhooks": false }))
        .await;
    standin.post("/standin/api/ping", json!({})).await;
    let got = standin.receiver.wait_for(1).await;
    let triggers: Vec<Value> = got
        .iter()
        .map(|r| r.json()["triggerEvent"].clone())
        .collect();
    assert_eq!(triggers, [json!("PING")]);
    let log = standin.settled_log().await;
    let states: Vec<&Value> = log["deliveries"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| &d["state"])
        .collect();
    assert_eq!(
        states,
        [&json!("dropped"), &json!("dropped"), &json!("sent")]
    );
}

#[tokio::test]
async fn the_apps_answer_is_recorded_with_the_delivery() {
    let standin = spawn().await;
    let (status, answer) = standin.post("/standin/api/ping", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(answer["deliveries"][0]["state"], "sent");
    assert_eq!(answer["deliveries"][0]["status"], 200);
    assert_eq!(answer["deliveries"][0]["answer"], r#"{"result":"applied"}"#);
}

#[tokio::test]
async fn an_unreachable_app_is_a_failed_delivery_and_the_booking_stands() {
    let standin = spawn_unreachable().await;
    let (status, answer) = standin
        .post(
            "/standin/api/bookings",
            json!({ "name": "Bo", "email": "bo@example.com" }),
        )
        .await;
    assert_eq!(status, 200, "Cal.com swallows delivery errors");
    assert_eq!(answer["deliveries"][0]["state"], "failed");
    let error = answer["deliveries"][0]["error"].as_str().expect("an error");
    assert!(error.contains("/api/webhooks/cal-com"), "{error}");
}

#[tokio::test]
async fn a_bad_settings_field_is_refused() {
    let standin = spawn().await;
    let (status, answer) = standin
        .post("/standin/api/settings", json!({ "fail_embed": true }))
        .await;
    assert_eq!(status, 400, "{answer}");
}
