//! Slots that ended with no outcome: raised once the account sends outcomes (or when the
//! wait is configured), marked by the owner as an event in the lead's timeline, and still
//! overtaken by a later Cal.com outcome.

use app::ssr::calcom::payloads;
use reqwest::StatusCode;

use super::{act, audit, in_hours, items, items_at};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
    webhooks::{at, booking, count, deliver_expecting, lead_booking, seed_lead},
};

on_both_backends!(
    an_overdue_outcome_is_marked_by_the_owner_and_a_later_cal_com_event_still_applies,
    overdue_outcomes_wait_until_the_account_sends_outcomes,
    overdue_outcomes_are_marked_in_bulk_each_audited,
);

async fn booked_in_the_past(app: &crate::support::TestApp, uid: &str) -> String {
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, uid, &in_hours(-72).to_string());
    deliver_expecting(
        app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    lead
}

async fn an_overdue_outcome_is_marked_by_the_owner_and_a_later_cal_com_event_still_applies(
    backend: Backend,
) {
    let (app, cookie) = signed_in(backend, &[("OUTCOME_OVERDUE_HOURS", "1")]).await;
    let lead = booked_in_the_past(&app, "uidOverdue1").await;
    let overdue = items(&app, &cookie, "overdue_outcome").await;
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0]["id"], "overdue:uidOverdue1");
    assert_eq!(overdue[0]["lead"]["stage"], "booked");
    assert_eq!(overdue[0]["lead"]["email"], "ana.kovac@example.com");

    let (status, marked) = act(
        &app,
        &cookie,
        "overdue:uidOverdue1",
        &[("action", "mark_no_show")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{marked}");
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "no_show");
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events where source = 'owner' and trigger_event = 'OWNER_MARKED_NO_SHOW'").await,
        1,
        "the owner's word is an event in the lead's timeline"
    );
    let trail = audit(&app, &cookie).await;
    assert_eq!(
        (
            trail[0]["stage_before"].as_str(),
            trail[0]["stage_after"].as_str()
        ),
        (Some("booked"), Some("no_show"))
    );

    // Cal.com's own word, sent after the owner's mark, applies in time order: the host takes
    // the no-show back, which restores the booking the mark replaced.
    let facts = booking(&lead, "uidOverdue1", &in_hours(-72).to_string());
    let later = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_mins(1))
        .expect("a time");
    deliver_expecting(
        &app,
        &payloads::no_show_updated(&facts, false, later),
        "applied",
    )
    .await;
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
}

async fn overdue_outcomes_wait_until_the_account_sends_outcomes(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    // A slot that ended three days ago, and one that ended six weeks ago.
    for (uid, hours_ago) in [("uidRecent1", 72), ("uidLongAgo1", 6 * 7 * 24)] {
        let lead = seed_lead(&app.state.db).await;
        let facts = booking(&lead, uid, &in_hours(-hours_ago).to_string());
        deliver_expecting(
            &app,
            &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
            "applied",
        )
        .await;
    }
    let quiet = items(&app, &cookie, "overdue_outcome").await;
    assert!(quiet.is_empty(), "no outcome event yet: {quiet:?}");

    // Another booking's meeting ends: the account sends outcomes. The slots of the last 30
    // days are checked from then on; older ones stay as they are.
    let other = booked_in_the_past(&app, "uidSpoken1").await;
    let facts = booking(&other, "uidSpoken1", "2026-10-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::meeting_flat("MEETING_ENDED", &facts),
        "applied",
    )
    .await;
    let overdue = items_at(&app, &cookie, "overdue_outcome", in_hours(1)).await;
    assert_eq!(
        overdue
            .iter()
            .map(|i| i["id"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["overdue:uidRecent1"],
        "the completed booking is not overdue, nor one that ended long before outcomes came"
    );
}

async fn overdue_outcomes_are_marked_in_bulk_each_audited(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("OUTCOME_OVERDUE_HOURS", "1")]).await;
    let first = booked_in_the_past(&app, "uidBulk1").await;
    let second = booked_in_the_past(&app, "uidBulk2").await;
    assert_eq!(items(&app, &cookie, "overdue_outcome").await.len(), 2);
    let response = app
        .client
        .post(app.url("/api/review/bulk"))
        .header(reqwest::header::COOKIE, &cookie)
        .form(&[
            ("action", "mark_completed"),
            ("ids", "overdue:uidBulk1"),
            ("ids", "overdue:uidBulk2"),
            ("ids", "overdue:nonesuch"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let answer: serde_json::Value = response.json().await.expect("json");
    assert_eq!(answer["done"], 2, "{answer}");
    assert_eq!(answer["results"][2]["status"], 404);
    for lead in [first, second] {
        assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "completed");
    }
    let trail = audit(&app, &cookie).await;
    assert_eq!(trail.len(), 2, "each item audited on its own");
    assert!(trail.iter().all(|e| e["action"] == "mark_completed"));
    assert!(items(&app, &cookie, "overdue_outcome").await.is_empty());
}
