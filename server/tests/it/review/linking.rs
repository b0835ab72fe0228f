//! Failed deliveries and held events linked to a lead, then applied like a live delivery;
//! or discarded.

use app::ssr::calcom::payloads;
use reqwest::StatusCode;

use super::{act, audit, items};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
    webhooks::{at, booking, count, deliver, deliver_expecting, lead_booking, seed_lead},
};

on_both_backends!(
    a_booking_that_lost_its_metadata_is_linked_applied_in_order_and_joins_the_chain,
    a_booking_for_an_unknown_submission_id_is_linked_to_the_right_lead,
    a_discarded_event_is_never_applied,
    resolving_the_queue_clears_the_data_trust_mark,
);

async fn a_booking_that_lost_its_metadata_is_linked_applied_in_order_and_joins_the_chain(
    backend: Backend,
) {
    let (app, cookie) = signed_in(backend, &[("HELD_EVENT_REVIEW_MINUTES", "0")]).await;
    let lead = seed_lead(&app.state.db).await;
    let mut created = booking(&lead, "uidLost1", "2026-10-05T09:00:00Z");
    created.submission_id = None;
    let created_body = payloads::booking_created(&created, at("2026-09-20T10:00:00Z"));
    // Its payment overtook it; then the booking itself; both name no submission id.
    let paid = payloads::booking_paid(&created, at("2026-09-20T10:05:00Z"));
    deliver_expecting(&app, &paid, "queued").await;
    deliver_expecting(&app, &created_body, "queued").await;

    let held = items(&app, &cookie, "held_event").await;
    assert_eq!(held.len(), 2, "{held:?}");
    let item = held
        .iter()
        .find(|i| i["trigger"] == "BOOKING_CREATED")
        .expect("the booking");
    assert_eq!(item["delivery"]["attendee_email"], "ana.kovac@example.com");
    assert_eq!(item["booking_uid"], "uidLost1");
    let id = item["id"].as_str().expect("an id").to_owned();

    let (status, linked) = act(
        &app,
        &cookie,
        &id,
        &[("action", "link"), ("submission_id", &lead)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["resolution"]["resolution"], "linked");
    let booked = lead_booking(&app.state.db, &lead).await;
    assert_eq!(booked.stage, "booked");
    assert_eq!(booked.booking_uid.as_deref(), Some("uidLost1"));
    assert_eq!(
        booked.last_event.as_deref(),
        Some("BOOKING_PAID"),
        "the payment came after the creation in Cal.com's time, and is applied after it"
    );
    // The payment was released with it: its item cleared by itself.
    assert!(items(&app, &cookie, "held_event").await.is_empty());

    // Applying twice changes nothing: the item is resolved, the body a duplicate.
    let (status, again) = act(
        &app,
        &cookie,
        &id,
        &[("action", "link"), ("submission_id", &lead)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    deliver_expecting(&app, &created_body, "duplicate").await;

    // The uid joined the lead's chain: a later event for it finds the lead by itself.
    let mut moved = booking(&lead, "uidLost2", "2026-10-06T09:00:00Z");
    moved.submission_id = None;
    let reschedule = payloads::booking_rescheduled(&moved, &created, at("2026-09-21T10:00:00Z"));
    deliver_expecting(&app, &reschedule, "applied").await;
    let rescheduled = lead_booking(&app.state.db, &lead).await;
    assert_eq!(
        (
            rescheduled.stage.as_str(),
            rescheduled.booking_uid.as_deref()
        ),
        ("rescheduled", Some("uidLost2"))
    );

    let trail = audit(&app, &cookie).await;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0]["action"], "link");
    assert_eq!(trail[0]["item_id"], id);
    assert_eq!(trail[0]["submission_id"], lead);
    assert_eq!(trail[0]["owner"], "owner@acme.example");
    assert_eq!(
        (
            trail[0]["stage_before"].as_str(),
            trail[0]["stage_after"].as_str()
        ),
        (Some("new"), Some("booked"))
    );
}

async fn a_booking_for_an_unknown_submission_id_is_linked_to_the_right_lead(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let lead = seed_lead(&app.state.db).await;
    let stranger = uuid::Uuid::new_v4().to_string();
    let facts = booking(&stranger, "uidWrongId1", "2026-10-05T09:00:00Z");
    let (_, answer) = deliver(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
    .await;
    assert_eq!(answer["reason"], "unknown_submission_id");

    let failures = items(&app, &cookie, "failed_delivery").await;
    assert_eq!(failures.len(), 1);
    let item = &failures[0];
    assert!(
        item["reason"]
            .as_str()
            .is_some_and(|r| r.contains(&stranger)),
        "{item}"
    );
    assert!(item["delivery"]["body"]
        .as_str()
        .is_some_and(|b| b.contains("uidWrongId1")));
    assert_eq!(item["actions"], serde_json::json!(["link", "discard"]));
    let id = item["id"].as_str().expect("an id");

    let (status, wrong) = act(&app, &cookie, id, &[("action", "mark_completed")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");
    assert!(wrong["message"]
        .as_str()
        .is_some_and(|m| m.contains("does not fit")));
    let (status, nobody) = act(
        &app,
        &cookie,
        id,
        &[("action", "link"), ("submission_id", &stranger)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nobody}");

    let (status, _) = act(
        &app,
        &cookie,
        id,
        &[("action", "link"), ("submission_id", &lead)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from webhook_failures where resolved_at is null"
        )
        .await,
        0
    );
    // A cancellation (which carries no metadata) now finds the lead by its uid.
    let cancel =
        payloads::booking_cancelled(&facts, Some("Double booked"), at("2026-09-22T10:00:00Z"));
    deliver_expecting(&app, &cancel, "applied").await;
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "cancelled");
}

async fn a_discarded_event_is_never_applied(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("HELD_EVENT_REVIEW_MINUTES", "0")]).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidDiscard1", "2026-10-05T09:00:00Z");
    // A cancellation overtook its booking and is held.
    let cancel = payloads::booking_cancelled(&facts, None, at("2026-09-21T10:00:00Z"));
    deliver_expecting(&app, &cancel, "queued").await;
    let held = items(&app, &cookie, "held_event").await;
    let id = held[0]["id"].as_str().expect("an id").to_owned();
    let (status, _) = act(&app, &cookie, &id, &[("action", "discard")]).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let (status, discarded) = act(
        &app,
        &cookie,
        &id,
        &[("action", "discard"), ("reason", "sent in error")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{discarded}");
    assert_eq!(discarded["resolution"]["reason"], "sent in error");

    // The booking arrives: the discarded cancellation stays out of the lead's history.
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from booking_events where status = 'held'"
        )
        .await,
        1,
        "the event is kept, marked discarded, not deleted"
    );
    let trail = audit(&app, &cookie).await;
    assert_eq!(
        (trail[0]["action"].as_str(), trail[0]["detail"].as_str()),
        (Some("discard"), Some("sent in error"))
    );
}

async fn resolving_the_queue_clears_the_data_trust_mark(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let lead = seed_lead(&app.state.db).await;
    deliver_expecting(
        &app,
        &payloads::booking_created(
            &booking(&lead, "uidTrust1", "2026-12-05T09:00:00Z"),
            at("2026-09-20T10:00:00Z"),
        ),
        "applied",
    )
    .await;
    let trust = |app: &crate::support::TestApp, cookie: String| {
        let request = app
            .client
            .get(app.url("/api/metrics"))
            .query(&[("from", "2026-09-01"), ("to", "2026-09-30")])
            .header(reqwest::header::COOKIE, cookie)
            .send();
        async move {
            let body: serde_json::Value = request.await.expect("send").json().await.expect("json");
            body["data_trust"].clone()
        }
    };
    assert_eq!(
        trust(&app, cookie.clone()).await["needs_manual_confirm"],
        false
    );

    let stranger = booking(
        &uuid::Uuid::new_v4().to_string(),
        "uidTrust2",
        "2026-12-06T09:00:00Z",
    );
    deliver_expecting(
        &app,
        &payloads::booking_created(&stranger, at("2026-09-21T10:00:00Z")),
        "queued",
    )
    .await;
    let marked = trust(&app, cookie.clone()).await;
    assert_eq!(marked["needs_manual_confirm"], true, "{marked}");
    assert_eq!(marked["unresolved_failures"], 1);

    let id = items(&app, &cookie, "failed_delivery").await[0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let (status, _) = act(
        &app,
        &cookie,
        &id,
        &[("action", "discard"), ("reason", "a test booking")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cleared = trust(&app, cookie).await;
    assert_eq!(cleared["needs_manual_confirm"], false, "{cleared}");
}
