//! The durable inbox: a verified delivery the database cannot take is spooled to disk and
//! answered 202, replayed in order once the database answers, exactly once; unsigned bodies
//! never reach the spool; a full spool answers 503.

use std::time::Duration;

use app::ssr::{calcom::payloads, webhooks::replay_spool};
use reqwest::StatusCode;
use serde_json::Value;

use super::{at, booking, count, deliver, lead_booking, post_with, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, spawn_app_with, Backend, TestApp};

on_both_backends!(
    a_delivery_the_database_cannot_take_is_spooled_then_applied_once_it_answers,
    a_replay_cut_short_before_the_entry_is_removed_applies_nothing_twice,
    a_full_spool_answers_503,
);

async fn readiness(app: &TestApp) -> (StatusCode, Value) {
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.json().await.expect("json"))
}

/// Waits until `check` holds, failing after `limit`.
async fn eventually<F, Fut>(limit: Duration, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what} did not happen in {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_delivery_the_database_cannot_take_is_spooled_then_applied_once_it_answers(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let created = payloads::booking_created(
        &booking(&lead, "uidSpooled", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    let cancelled = payloads::booking_cancelled(
        &booking(&lead, "uidSpooled", "2026-10-01T09:00:00Z"),
        Some("Something came up"),
        at("2026-09-21T10:00:00Z"),
    );

    let outage = app.db().outage().await;
    for body in [&created, &cancelled] {
        let (status, json) = deliver(&app, body).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{json}");
        assert_eq!(json["result"], "spooled");
    }
    let refused = post_with(&app, &created, Some("sha256=not-the-signature")).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let (status, ready) = readiness(&app).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    if backend == Backend::Postgres {
        assert_eq!(ready["database"], "unavailable", "{ready}");
        assert_eq!(ready["status"], "degraded");
    } // A locked SQLite file still answers readers, which is all readiness asks of it.
    assert_eq!(ready["spool"]["writable"], true);
    assert_eq!(
        ready["spool"]["entries"], 2,
        "the unsigned body is not spooled"
    );
    outage.end().await;

    // The background replayer takes them in arrival order, without being asked.
    eventually(Duration::from_secs(45), "the spool replay", || async {
        app.state.spool.waiting().await.expect("spool").0 == 0
    })
    .await;
    let stored = lead_booking(&app.state.db, &lead).await;
    assert_eq!(stored.stage, "cancelled");
    assert_eq!(
        stored.cancellation_reason.as_deref(),
        Some("Something came up")
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        2
    );
    let (status, json) = deliver(&app, &created).await;
    assert_eq!(
        (status, json["result"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    let (_, ready) = readiness(&app).await;
    assert_eq!(
        (ready["status"].as_str(), &ready["spool"]["entries"]),
        (Some("ready"), &Value::from(0))
    );
}

/// A crash after a replayed delivery was committed but before its file was removed: the
/// next replay finds it again and recognises it as already applied.
async fn a_replay_cut_short_before_the_entry_is_removed_applies_nothing_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidTwice", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    let outage = app.db().outage().await;
    assert_eq!(deliver(&app, &body).await.0, StatusCode::ACCEPTED);
    let entries = app.state.spool.entries().await.expect("listed");
    assert_eq!(entries.len(), 1);
    let kept = std::fs::read(&entries[0].path).expect("the entry");
    outage.end().await;

    eventually(Duration::from_secs(45), "the spool replay", || async {
        app.state.spool.waiting().await.expect("spool").0 == 0
    })
    .await;
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");

    std::fs::write(&entries[0].path, &kept).expect("the entry is back, as after a crash");
    // This pass or the background one takes it; either way it is a duplicate.
    let again = replay_spool(&app.state, &app.state.spool)
        .await
        .expect("replays");
    assert_eq!(again.taken, again.duplicates);
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        1
    );
    assert_eq!(app.state.spool.waiting().await.expect("spool").0, 0);
}

async fn a_full_spool_answers_503(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[("WEBHOOK_SPOOL_MAX_BYTES", "65536")],
        Default::default(),
    )
    .await;
    let lead = seed_lead(&app.state.db).await;
    let padded = |uid: &str| {
        let body = payloads::booking_created(
            &booking(&lead, uid, "2026-10-01T09:00:00Z"),
            at("2026-09-20T10:00:00Z"),
        );
        let mut json: Value = serde_json::from_str(&body).expect("json");
        json["payload"]["description"] = Value::from("x".repeat(40_000));
        json.to_string()
    };
    let outage = app.db().outage().await;
    let (status, _) = deliver(&app, &padded("uidFull1")).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, json) = deliver(&app, &padded("uidFull2")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{json}");
    assert_eq!(json["error"], "unavailable");
    let (status, ready) = readiness(&app).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "40 of 64 KiB used: still writable; {ready}"
    );
    outage.end().await;
}
