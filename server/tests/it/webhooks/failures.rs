//! What cannot be applied never touches a lead: it lands in the bounded failure queue (or is
//! counted when the queue is full).

use app::ssr::{
    calcom::{payloads, signature::sign},
    store::webhook_failures,
};
use futures::{stream, StreamExt};
use reqwest::StatusCode;

use super::{at, booking, count, deliver, lead_booking, post_with, seed_lead};
use crate::on_both_backends;
use crate::support::{app::WEBHOOK_SECRET, spawn_app, spawn_app_with, Backend};

on_both_backends!(
    unmatched_malformed_and_unknown_deliveries_are_queued_and_touch_no_lead,
    the_queue_stays_within_its_bounds_under_ten_thousand_junk_posts,
);

async fn unmatched_malformed_and_unknown_deliveries_are_queued_and_touch_no_lead(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let before = lead_booking(&app.state.db, &lead).await;

    let stranger = uuid::Uuid::new_v4().to_string();
    let unmatched = payloads::booking_created(
        &booking(&stranger, "uidStranger", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    let (status, json) = deliver(&app, &unmatched).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["result"], "queued");
    assert_eq!(json["reason"], "unknown_submission_id");

    let malformed = r#"{"triggerEvent":"BOOKING_CREATED","payload":{"title":"no uid"}}"#;
    let (status, json) = deliver(&app, malformed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["error"], "malformed");
    let (status, _) = deliver(&app, "not json at all").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let form = r#"{"triggerEvent":"FORM_SUBMITTED","createdAt":"2026-10-01T09:00:00.000Z","payload":{"formId":"f1"}}"#;
    let (status, json) = deliver(&app, form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["result"], "queued");
    assert_eq!(json["reason"], "unknown_trigger");

    assert_eq!(lead_booking(&app.state.db, &lead).await, before);
    for reason in ["unknown_submission_id", "malformed", "unknown_trigger"] {
        let rows = count(
            &app.state.db,
            &format!("select count(*) from webhook_failures where reason = '{reason}'"),
        )
        .await;
        assert!(rows >= 1, "{reason}");
    }
    // The same failed body again is counted, not stored twice.
    let (status, _) = deliver(&app, form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from webhook_failures where reason = 'unknown_trigger'"
        )
        .await,
        1
    );
    assert_eq!(count(&app.state.db, "select cast(deliveries as bigint) from webhook_rejections where reason = 'unknown_trigger'").await, 2);
}

async fn the_queue_stays_within_its_bounds_under_ten_thousand_junk_posts(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[
            ("WEBHOOK_FAILURE_QUEUE_MAX_ROWS", "25"),
            ("WEBHOOK_FAILURE_QUEUE_MAX_BYTES", "20000"),
        ],
        Default::default(),
    )
    .await;
    let total = 10_000;
    let statuses: Vec<StatusCode> = stream::iter(0..total)
        .map(|i| {
            let app = &app;
            async move {
                let junk = format!(r#"{{"junk":{i},"padding":"{}"}}"#, "z".repeat(i % 700));
                let signature = if i % 2 == 0 {
                    sign("an-attacker-guess", junk.as_bytes())
                } else {
                    sign(WEBHOOK_SECRET, junk.as_bytes())
                };
                post_with(app, &junk, Some(&signature)).await.status()
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        total / 2
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::BAD_REQUEST)
            .count(),
        total / 2
    );

    let usage = webhook_failures::usage(&app.state.db).await.expect("usage");
    let rows = count(&app.state.db, "select count(*) from webhook_failures").await;
    let bytes = count(
        &app.state.db,
        "select cast(coalesce(sum(length(body)), 0) as bigint) from webhook_failures",
    )
    .await;
    assert!(rows <= 25, "{rows} rows");
    assert!(bytes <= 20_000, "{bytes} bytes");
    assert_eq!(usage.stored_rows, rows);
    assert_eq!(
        usage.stored_rows + usage.dropped,
        total as i64,
        "every delivery is either kept or counted as dropped"
    );
    assert_eq!(
        count(
            &app.state.db,
            "select cast(sum(deliveries) as bigint) from webhook_rejections"
        )
        .await,
        total as i64
    );
}
