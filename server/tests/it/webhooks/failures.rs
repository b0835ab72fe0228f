//! What cannot be applied never touches a lead: a verified delivery lands, whole, in the
//! bounded failure queue and the review queue (or is counted when the queue is full); a
//! refused signature costs no database write at all.

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
    a_verified_failure_survives_ten_thousand_unsigned_posts,
    a_booking_of_another_event_type_that_matches_no_lead_is_only_logged,
    racing_copies_of_one_failed_body_are_queued_once,
);

/// Sixteen transactions record the same body at once; the unique index on its hash, not a
/// look before the insert, keeps one row.
async fn racing_copies_of_one_failed_body_are_queued_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = br#"{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"raced"}}"#;
    // The store trusts the hash it is given; any fixed one stands for this body.
    let sha = "ab".repeat(32);
    let limits = app.state.settings.webhook.failure_limits;
    let records = (0..16).map(|_| {
        let (db, sha) = (app.state.db.clone(), sha.clone());
        tokio::spawn(async move {
            let failure = webhook_failures::Failure {
                reason: app::domain::delivery::FailureReason::UnknownSubmissionId,
                trigger: Some("BOOKING_CREATED"),
                booking_uid: Some("raced"),
                raw_body: body,
                body_sha256: &sha,
                received_at: app::ssr::db::DbTime::now(),
            };
            webhook_failures::record(&db, &failure, limits).await
        })
    });
    let mut stored = 0;
    for done in futures::future::join_all(records).await {
        match done.expect("join").expect("recorded") {
            webhook_failures::Recorded::Stored(_) => stored += 1,
            webhook_failures::Recorded::AlreadyQueued => {}
            webhook_failures::Recorded::Dropped => panic!("the queue has room"),
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(
        count(&app.state.db, "select count(*) from webhook_failures").await,
        1
    );
    let usage = webhook_failures::usage(&app.state.db).await.expect("usage");
    assert_eq!(usage.stored_rows, 1);
    assert_eq!(usage.stored_bytes, body.len() as i64);
}

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

    // Each distinct failed body is one item of the review queue, and its bytes are kept whole.
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from review_items where kind = 'failed_delivery' and resolved_at is null"
        )
        .await,
        4
    );
    let kept: Vec<u8> = app::ssr::db::on_pool!(app.state.db.reads(), pool => sqlx::query_scalar(
        "select raw_body from webhook_failures where reason = 'unknown_submission_id'",
    )
    .fetch_one(pool)
    .await)
    .expect("the stored body");
    assert_eq!(kept, unmatched.as_bytes(), "byte-exact");
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
        "select cast(coalesce(sum(length(raw_body)), 0) as bigint) from webhook_failures",
    )
    .await;
    assert!(rows <= 25, "{rows} rows");
    assert!(bytes <= 20_000, "{bytes} bytes");
    assert_eq!(usage.stored_rows, rows);
    let verified = (total / 2) as i64;
    assert_eq!(
        usage.stored_rows + usage.dropped,
        verified,
        "every verified delivery is either kept or counted as dropped"
    );
    assert_eq!(
        count(
            &app.state.db,
            "select cast(sum(deliveries) as bigint) from webhook_rejections"
        )
        .await,
        verified,
        "refused signatures are not written to the database"
    );
    assert_eq!(
        app.state.refusals.last_24h(jiff::Timestamp::now()),
        (0, verified as u64),
        "they are counted in memory"
    );
}

async fn a_verified_failure_survives_ten_thousand_unsigned_posts(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[("WEBHOOK_FAILURE_QUEUE_MAX_ROWS", "1")],
        Default::default(),
    )
    .await;
    let form = r#"{"triggerEvent":"FORM_SUBMITTED","createdAt":"2026-10-01T09:00:00.000Z","payload":{"formId":"f1"}}"#;
    let (status, _) = deliver(&app, form).await;
    assert_eq!(status, StatusCode::OK);

    let total = 10_000;
    let refused = stream::iter(0..total)
        .map(|i| {
            let app = &app;
            async move {
                let junk = format!(r#"{{"triggerEvent":"BOOKING_CREATED","junk":{i}}}"#);
                let signature = (i % 2 == 0).then(|| sign("a-guess", junk.as_bytes()));
                post_with(app, &junk, signature.as_deref()).await.status()
            }
        })
        .buffer_unordered(32)
        .filter(|status| std::future::ready(*status == StatusCode::UNAUTHORIZED))
        .count()
        .await;
    assert_eq!(refused, total);
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from review_items where kind = 'failed_delivery' and resolved_at is null"
        )
        .await,
        1,
        "the verified failure is still there for review"
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from webhook_failures").await,
        1
    );
    let (missing, bad) = app.state.refusals.last_24h(jiff::Timestamp::now());
    assert_eq!((missing, bad), (total as u64 / 2, total as u64 / 2));
    assert_eq!(
        app.state.refusals.samples().len(),
        app::ssr::webhooks::refusals::SAMPLES_KEPT
    );
}

async fn a_booking_of_another_event_type_that_matches_no_lead_is_only_logged(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let mut other = booking(
        &uuid::Uuid::new_v4().to_string(),
        "uidOther1",
        "2026-10-01T09:00:00Z",
    );
    other.event_slug = "30min".into();
    other.submission_id = None;
    let (status, json) = deliver(
        &app,
        &payloads::booking_created(&other, at("2026-09-20T10:00:00Z")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (json["result"].as_str(), json["ignored"].as_str()),
        (Some("applied"), Some("other_event_type"))
    );

    // Of the form's event type, the same unmatched booking is held for its booking to appear;
    // with an unknown submission id, it is a failure to review.
    let mut ours = other.clone();
    ours.uid = "uidOurs1".into();
    ours.event_slug = "intro".into();
    let (_, json) = deliver(
        &app,
        &payloads::booking_created(&ours, at("2026-09-20T10:00:00Z")),
    )
    .await;
    assert_eq!(json["result"], "queued");
    assert_eq!(json["reason"], "booking_not_known_yet");
    // A body that names no event type (a no-show mark) is taken for the form's.
    let (_, json) = deliver(
        &app,
        &payloads::no_show_updated(&other, true, at("2026-09-21T10:00:00Z")),
    )
    .await;
    assert_eq!(json["reason"], "booking_not_known_yet");

    // A known booking is applied whatever its event type.
    let mut known = booking(&lead, "uidKnown1", "2026-10-02T09:00:00Z");
    known.event_slug = "30min".into();
    let (_, json) = deliver(
        &app,
        &payloads::booking_created(&known, at("2026-09-20T11:00:00Z")),
    )
    .await;
    assert_eq!(json["result"], "applied");
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");

    assert_eq!(
        count(&app.state.db, "select count(*) from review_items").await,
        0
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from webhook_failures").await,
        0
    );
    assert_eq!(
        count(&app.state.db, "select cast(deliveries as bigint) from webhook_rejections where reason = 'other_event_type'").await,
        1
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events where booking_uid = 'uidOther1' and status = 'applied' and submission_id is null").await,
        1,
        "logged, for no lead"
    );
}
