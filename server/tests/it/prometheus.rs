//! `GET /metrics`: off without `METRICS_TOKEN`, then only for its bearer; deliveries by
//! result, refusals by reason, rate-limit hits, sign-in failures, pool and spool gauges and
//! request latency per route, in the Prometheus text format.

use reqwest::{header, StatusCode};

use crate::{
    support::{app::WEBHOOK_SECRET, spawn_app, spawn_app_with, Backend, TestApp},
    webhooks::{at, booking, seed_lead},
};

const TOKEN: &str = "scrape-token-0123456789";

async fn scrape(app: &TestApp, bearer: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(bearer) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {bearer}"));
    }
    request.send().await.expect("send")
}

/// The value of the sample line starting with `series` (name and labels), or 0.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        scrape(&app, Some(TOKEN)).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn metrics_count_what_operators_need_for_the_bearer_only() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("METRICS_TOKEN", TOKEN), ("INTAKE_MIN_FILL_SECONDS", "0")],
        axum::Router::new(),
    )
    .await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&app, Some("not-the-token-at-all")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let before = scrape(&app, Some(TOKEN)).await.text().await.expect("body");

    // One applied delivery, one unsigned and one mis-signed, one failed sign-in.
    let lead = seed_lead(&app.state.db).await;
    let body = app::ssr::calcom::payloads::booking_created(
        &booking(&lead, "bk_metrics", "2026-12-10T09:00:00Z"),
        at("2026-11-30T10:00:00Z"),
    );
    let url = app.url("/api/webhooks/cal-com");
    let signed = app::ssr::calcom::signature::sign(WEBHOOK_SECRET, body.as_bytes());
    for signature in [Some(signed.as_str()), None, Some("00")] {
        let mut request = app.client.post(&url).body(body.clone());
        if let Some(signature) = signature {
            request = request.header("x-cal-signature-256", signature);
        }
        request.send().await.expect("send");
    }
    let refused = app
        .client
        .post(app.url("/api/signin"))
        .form(&[
            ("email", "nobody@acme.example"),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let response = scrape(&app, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(crate::pages::header_text(&response, header::CONTENT_TYPE).starts_with("text/plain"));
    let after = response.text().await.expect("body");
    for (series, at_least) in [
        (r#"handoff_webhook_deliveries_total{result="applied"}"#, 1.0),
        (
            r#"handoff_webhook_deliveries_total{result="unauthorized"}"#,
            2.0,
        ),
        (
            r#"handoff_webhook_refusals_total{reason="missing_signature"}"#,
            1.0,
        ),
        (
            r#"handoff_webhook_refusals_total{reason="bad_signature"}"#,
            1.0,
        ),
        ("handoff_sign_in_failures_total", 1.0),
    ] {
        let grown = sample(&after, series) - sample(&before, series);
        assert!(grown >= at_least, "{series} grew by {grown}:\n{after}");
    }
    for present in [
        "handoff_webhook_spool_entries 0",
        r#"handoff_db_pool_connections{state="open"}"#,
        r#"handoff_http_request_duration_seconds_bucket{route="/api/webhooks/cal-com",method="POST",status="2xx",le="0.005"}"#,
        r#"handoff_http_request_duration_seconds_count{route="/api/webhooks/cal-com",method="POST",status="4xx"}"#,
        "handoff_live_streams_open 0",
    ] {
        assert!(after.contains(present), "{present} in:\n{after}");
    }
    assert!(!after.contains(&lead), "no submission id in the metrics");
}
