//! Two server processes' worth of app on one PostgreSQL database, each with its own spool, as
//! two instances behind one load balancer: both spool through an outage and both spools
//! replay, each delivery applied once; and only one of them reconciles with Cal.com at a time.

use std::time::Duration;

use app::ssr::{calcom::payloads, reconcile::job::run_if_free};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    reconcile::app_and_standin,
    support::{spawn_app_sharing, Backend, TestApp},
    webhooks::{at, booking, count, deliver, seed_lead},
};

async fn drained(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while app.state.spool.waiting().await.expect("spool").0 > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a spool did not drain"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_spools_replay_and_one_reconciler_runs_at_a_time() {
    let (first, standin) = app_and_standin(Backend::Postgres, &[]).await;
    let api_url = format!("{}/v2", standin.url);
    let second = spawn_app_sharing(
        &first,
        &[
            ("CAL_API_KEY", crate::reconcile::API_KEY),
            ("CAL_API_URL", api_url.as_str()),
            ("CAL_RECONCILE_MINUTES", "1440"),
        ],
    )
    .await;
    let db = &first.state.db;
    let mut leads = Vec::new();
    for _ in 0..10 {
        leads.push(seed_lead(db).await);
    }

    let outage = first.db().outage().await;
    for (i, lead) in leads.iter().enumerate() {
        let facts = booking(lead, &format!("uidTwo{i:02}"), "2026-10-01T09:00:00Z");
        let body = payloads::booking_created(&facts, at("2026-09-20T10:00:00Z"));
        // Half to each instance, as a load balancer would spread them.
        let app = if i % 2 == 0 { &first } else { &second };
        let (status, json) = deliver(app, &body).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{json}");
    }
    assert_eq!(first.state.spool.waiting().await.expect("spool").0, 5);
    assert_eq!(second.state.spool.waiting().await.expect("spool").0, 5);
    outage.end().await;
    drained(&first).await;
    drained(&second).await;
    assert_eq!(count(db, "select count(*) from booking_events").await, 10);
    assert_eq!(
        count(db, "select count(*) from leads where stage = 'booked'").await,
        10
    );

    // Both try to reconcile at once; Cal.com answers slowly, so the passes would overlap.
    standin.settings(json!({"api_delay_ms": 300})).await;
    let (a, b) = tokio::join!(run_if_free(&first.state), run_if_free(&second.state));
    let ran: Vec<_> = [a, b].into_iter().flatten().collect();
    assert_eq!(ran.len(), 1, "exactly one of the two reconciled");
    ran.into_iter()
        .next()
        .expect("one pass")
        .expect("the pass succeeded");
    // The lock is free again for either.
    assert!(run_if_free(&second.state).await.is_some());
}
