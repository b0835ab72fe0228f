//! One lead: every field, and its timeline in time order (submission, booking page, each
//! Cal.com event with its own time, the time it was received, applied or held and its stored
//! body, review items, owners' actions).

use app::domain::review::ItemKind;
use app::ssr::{
    calcom::payloads,
    db::DbTime,
    store::{
        audit::{self, NewEntry},
        leads::mark_invited,
        review::{raise, NewItem},
    },
};
use reqwest::StatusCode;

use super::{get_json, seed, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
    webhooks::{at, booking, deliver_expecting},
};

on_both_backends!(the_timeline_tells_the_leads_story_in_time_order);

async fn the_timeline_tells_the_leads_story_in_time_order(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("BUSINESS_TIME_ZONE", "Europe/Berlin")]).await;
    let db = &app.state.db;
    let lead = seed(
        db,
        Seed {
            company: Some("Kovač Physio"),
            phone: Some("+385912345678"),
            ..Seed::default()
        },
    )
    .await;
    assert!(
        mark_invited(db, &lead, DbTime::new(at("2026-09-20T09:05:00Z")))
            .await
            .expect("invite")
    );
    let facts = booking(&lead, "uidTimeline", "2026-10-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    let mut cancelled = facts.clone();
    cancelled.created_at = at("2026-09-21T08:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_cancelled(
            &cancelled,
            Some("Feeling better"),
            at("2026-09-21T08:00:00Z"),
        ),
        "applied",
    )
    .await;
    let item_id = ItemKind::NotBooked.item_id(&lead);
    raise(
        db,
        &NewItem {
            id: &item_id,
            kind: ItemKind::NotBooked,
            raised_at: DbTime::now(),
            submission_id: Some(&lead),
            booking_uid: None,
            trigger: None,
            reason: "Invited two days ago and never booked",
            payload: None,
        },
    )
    .await
    .expect("raise");
    audit::record(
        db,
        &NewEntry {
            at: DbTime::now(),
            owner_id: "owner",
            owner_email: "owner@acme.example",
            action: "dismiss",
            item_id: Some(&item_id),
            submission_id: Some(&lead),
            stage_before: None,
            stage_after: None,
            detail: Some("called back"),
        },
    )
    .await
    .expect("audit");

    let (status, view) = get_json(&app, &format!("/api/leads/{lead}"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let fields = &view["lead"];
    assert_eq!(fields["submission_id"], lead.as_str());
    assert_eq!(fields["company"], "Kovač Physio");
    assert_eq!(fields["phone"], "+385912345678");
    assert_eq!(fields["message"], "Lower back pain");
    assert_eq!(fields["landing_path"], "/");
    assert_eq!(fields["stage"], "cancelled");
    assert_eq!(fields["booking_uid"], "uidTimeline");
    assert_eq!(fields["booking_start"], "2026-10-01T09:00:00Z");
    assert_eq!(fields["booking_start_local"], "Thu 1 Oct 2026, 11:00");
    assert_eq!(fields["cancellation_reason"], "Feeling better");
    assert_eq!(fields["invited_at"], "2026-09-20T09:05:00Z");
    assert_eq!(fields["erased_at"], serde_json::Value::Null);

    let timeline = view["timeline"].as_array().expect("a timeline");
    let kinds: Vec<&str> = timeline
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        kinds,
        [
            "submitted",
            "invited",
            "cal_event",
            "cal_event",
            "review",
            "audit"
        ],
        "{view}"
    );
    let times: Vec<jiff::Timestamp> = timeline
        .iter()
        .map(|e| e["at"].as_str().expect("a time").parse().expect("RFC 3339"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert_eq!(timeline[0]["at"], "2026-09-20T09:00:00Z");
    assert_eq!(timeline[0]["at_local"], "Sun 20 Sep 2026, 11:00");
    let created = &timeline[2];
    assert_eq!(created["trigger"], "BOOKING_CREATED");
    assert_eq!(created["event_created_at"], "2026-09-20T10:00:00Z");
    assert_eq!(created["event_created_at_local"], "Sun 20 Sep 2026, 12:00");
    assert_eq!(created["status"], "applied");
    assert_eq!(created["by"], "webhook");
    // The delivery as Cal.com sent it (its bytes are kept beside the event).
    let body: serde_json::Value =
        serde_json::from_str(created["body"].as_str().expect("a stored body")).expect("JSON");
    assert_eq!(body["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(body["payload"]["uid"], "uidTimeline");
    assert_eq!(timeline[3]["trigger"], "BOOKING_CANCELLED");
    assert_eq!(timeline[4]["item_id"], item_id.as_str());
    assert_eq!(timeline[5]["status"], "dismiss");
    assert_eq!(timeline[5]["body"], "called back");

    let (status, _) = get_json(
        &app,
        &format!("/api/leads/{}", uuid::Uuid::new_v4()),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&app, "/api/leads/not-a-uuid", Some(&cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
