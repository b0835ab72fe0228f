//! Faults of Cal.com's API: a refused key (a clear error, recorded, and after two intervals a
//! data-trust reason), a call that never answers (timed out), and one reconciler at a time.

use app::ssr::{
    calcom::api::ApiError,
    db::{on_pool, DbTime},
    reconcile::{job::run_if_free, run_pass, PassError},
    store::reconcile::{self, ReconcileLock},
};
use serde_json::json;

use super::app_and_standin;
use crate::{
    on_both_backends,
    support::{owner::sign_in, Backend},
    webhooks::seed_lead,
};

on_both_backends!(
    a_refused_key_is_a_clear_error_and_in_time_a_data_trust_reason,
    a_call_that_does_not_answer_times_out_and_keeps_the_watermark,
    one_reconciler_runs_at_a_time,
);

async fn a_refused_key_is_a_clear_error_and_in_time_a_data_trust_reason(backend: Backend) {
    let (app, _standin) = app_and_standin(
        backend,
        &[
            ("CAL_API_KEY", "cal_live_wrong"),
            ("CAL_RECONCILE_MINUTES", "5"),
        ],
    )
    .await;
    let db = &app.state.db;
    let error = run_pass(&app.state, None).await.expect_err("refused");
    assert!(
        matches!(error, PassError::Api(ApiError::KeyRefused(401))),
        "{error:?}"
    );
    assert!(error.to_string().contains("CAL_API_KEY"), "{error}");
    let status = reconcile::status(db).await.expect("status");
    assert!(status.failing_since.is_some() && status.last_success_at.is_none());
    assert!(status.watermark.is_none(), "a failed pass moves nothing");

    let cookie = sign_in(&app).await;
    let trust = |app: &crate::support::TestApp| {
        let request = app
            .client
            .get(app.url("/api/metrics?from=2026-11-01&to=2026-11-30"))
            .header("cookie", cookie.clone());
        async move {
            let body: serde_json::Value = request
                .send()
                .await
                .expect("GET")
                .json()
                .await
                .expect("JSON");
            body["data_trust"].clone()
        }
    };
    // One failed pass is not yet a reason.
    let now = trust(&app).await;
    assert_eq!(
        now["reconciled"]["failing"]
            .as_str()
            .map(|s| s.contains("CAL_API_KEY")),
        Some(true),
        "{now}"
    );
    assert!(
        !now["reasons"].to_string().contains("reconciliation"),
        "{now}"
    );
    // Failing for longer than two intervals is.
    let long_ago = DbTime::new(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(11));
    on_pool!(db.writes(), pool => sqlx::query("update reconcile_status set failing_since = $1")
        .bind(long_ago)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("update");
    let later = trust(&app).await;
    assert_eq!(later["needs_manual_confirm"], true, "{later}");
    assert!(
        later["reasons"]
            .to_string()
            .contains("reconciliation with Cal.com's bookings has failed for 11 minutes"),
        "{later}"
    );
}

async fn a_call_that_does_not_answer_times_out_and_keeps_the_watermark(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[("CAL_API_TIMEOUT_SECONDS", "1")]).await;
    let lead = seed_lead(&app.state.db).await;
    standin
        .book(Some(&lead), "2030-03-04T09:00:00Z", true)
        .await;
    let first = run_pass(&app.state, None).await.expect("a pass");
    assert_eq!(first.applied.len(), 1);
    let watermark = reconcile::status(&app.state.db)
        .await
        .expect("status")
        .watermark;
    assert!(watermark.is_some());

    standin.settings(json!({"api_delay_ms": 2500})).await;
    let started = std::time::Instant::now();
    let error = run_pass(&app.state, None).await.expect_err("timed out");
    assert!(
        matches!(error, PassError::Api(ApiError::Timeout(_))),
        "{error:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let status = reconcile::status(&app.state.db).await.expect("status");
    assert_eq!(
        status.watermark, watermark,
        "the next pass reads again from there"
    );
    assert!(status.failing_since.is_some());

    standin.settings(json!({"api_delay_ms": 0})).await;
    run_pass(&app.state, None)
        .await
        .expect("a pass once Cal.com answers");
    let status = reconcile::status(&app.state.db).await.expect("status");
    assert!(status.failing_since.is_none() && status.last_error.is_none());
}

async fn one_reconciler_runs_at_a_time(backend: Backend) {
    let (app, _standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let held = ReconcileLock::try_take(db)
        .await
        .expect("lock")
        .expect("free at first");
    // On PostgreSQL through a second connection, as a second process would ask.
    let other = ReconcileLock::try_take(db).await.expect("lock");
    assert!(
        other.is_none(),
        "a second reconciler must not run meanwhile ({backend:?})"
    );
    assert!(
        run_if_free(&app.state).await.is_none(),
        "the job skips its turn"
    );
    held.release().await;
    let result = run_if_free(&app.state).await.expect("free again");
    result.expect("a pass");
}
