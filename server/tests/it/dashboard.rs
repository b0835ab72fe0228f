//! The dashboard over HTTP: `GET /api/metrics` (its shape, its numbers, its refusals), the
//! server-rendered page, and live change events, within one process and across two processes
//! sharing one PostgreSQL database.

use std::time::Duration;

use app::ssr::calcom::payloads;
use axum::Router;
use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::{
    on_both_backends,
    support::{owner::signed_in, spawn_app_with, Backend, TestApp},
    webhooks::{at, booking, deliver_expecting, seed_lead},
};

on_both_backends!(
    the_metrics_api_answers_the_dashboards_numbers_as_json,
    the_dashboard_page_shows_every_tile_with_its_formula,
    an_applied_webhook_is_announced_to_open_dashboards,
    the_data_trust_panel_says_why_outcomes_need_a_manual_check,
);

fn today() -> String {
    jiff::Timestamp::now().to_string()[..10].to_owned()
}

async fn metrics(app: &TestApp, cookie: Option<&str>, query: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url("/api/metrics")).query(query);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("send")
}

/// Three leads today: one booked (and then no-show marked), two not.
async fn seed(app: &TestApp) {
    let booked = seed_lead_today(app).await;
    seed_lead_today(app).await;
    seed_lead_today(app).await;
    let facts = booking(&booked, "bk_dash", "2026-12-01T09:00:00Z");
    deliver_expecting(
        app,
        &payloads::booking_created(&facts, jiff::Timestamp::now()),
        "applied",
    )
    .await;
}

async fn seed_lead_today(app: &TestApp) -> String {
    let id = seed_lead(&app.state.db).await;
    app::ssr::db::on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update leads set created_at = $2 where submission_id = $1",
    )
    .bind(&id)
    .bind(app::ssr::db::DbTime::now())
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("moved to today");
    id
}

async fn the_metrics_api_answers_the_dashboards_numbers_as_json(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    seed(&app).await;
    let day = today();

    let anonymous = metrics(&app, None, &[("from", &day), ("to", &day)]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    for bad in [
        vec![("from", day.as_str())],
        vec![("from", "2026-13-01"), ("to", day.as_str())],
        vec![("from", day.as_str()), ("to", "2020-01-01")],
    ] {
        let response = metrics(&app, Some(&cookie), &bad).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad:?}");
        let body: Value = response.json().await.expect("json");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }

    let response = metrics(&app, Some(&cookie), &[("from", &day), ("to", &day)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["window"]["from"], day);
    assert_eq!(body["window"]["to"], day);
    let m = &body["metrics"];
    assert_eq!(m["leads"]["current"], 3);
    assert_eq!(m["leads"]["prior"], 0);
    assert_eq!(m["leads"]["delta"], 3);
    assert_eq!(m["leads"]["delta_pct"], Value::Null);
    let book_rate = m["book_rate"]["current"].as_f64().expect("a rate");
    assert!((book_rate - 1.0 / 3.0).abs() < 1e-9, "{book_rate}");
    assert_eq!(
        m["book_rate"]["prior"],
        Value::Null,
        "no prior leads: no rate"
    );
    assert_eq!(m["book_rate"]["delta_pp"], Value::Null);
    assert!(m["time_to_book_p50_seconds"]["current"].as_f64().is_some());
    for rate in [
        "reschedule_rate",
        "cancellation_rate",
        "no_show_rate",
        "outcome_coverage",
    ] {
        assert!(m[rate].get("current").is_some(), "{rate} in {m}");
    }
    assert_eq!(
        m["no_show_rate"]["current"],
        Value::Null,
        "no slot ended yet"
    );
    assert_eq!(m["funnel"]["booked"]["current"], 1);
    assert_eq!(m["funnel"]["invited"]["current"], 0);
    assert_eq!(body["sources"][0]["source"], "direct");
    assert_eq!(body["sources"][0]["leads"], 3);
    assert!(body["data_trust"]["needs_manual_confirm"].is_boolean());

    let filtered = metrics(
        &app,
        Some(&cookie),
        &[("from", &day), ("to", &day), ("source", "nowhere")],
    )
    .await
    .json::<Value>()
    .await
    .expect("json");
    assert_eq!(filtered["metrics"]["leads"]["current"], 0);
    assert_eq!(filtered["metrics"]["book_rate"]["current"], Value::Null);
}

async fn the_dashboard_page_shows_every_tile_with_its_formula(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    seed(&app).await;
    let page = app
        .client
        .get(app.url("/dashboard?days=7"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("body");
    for tile in [
        "leads",
        "book_rate",
        "time_to_book_p50",
        "time_to_book_p90",
        "reschedule_rate",
        "cancellation_rate",
        "no_show_rate",
        "outcome_coverage",
        "funnel_invited",
        "funnel_booked",
        "funnel_rescheduled",
        "funnel_completed",
        "funnel_cancelled",
        "funnel_no_show",
    ] {
        assert!(
            body.contains(&format!(r#"data-tile="{tile}""#)),
            "tile {tile}"
        );
        assert!(
            body.contains(&format!(r#"id="formula-{tile}""#)),
            "formula {tile}"
        );
    }
    assert!(
        body.contains("33.3 %"),
        "the book rate, server-rendered: {body}"
    );
    assert!(body.contains("<svg"), "the trend chart");
    assert!(
        body.contains(r#"<option value="7" selected"#),
        "the picker shows the view"
    );
}

/// Reads a server-sent event stream until `data: changed` arrives (or the time is up).
async fn changed_within(mut stream: reqwest::Response, limit: Duration) -> bool {
    let mut seen = String::new();
    tokio::time::timeout(limit, async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("data: changed") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false)
}

async fn open_stream(app: &TestApp, cookie: &str) -> reqwest::Response {
    let stream = app
        .client
        .get(app.url("/api/owner/events"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream")));
    stream
}

async fn an_applied_webhook_is_announced_to_open_dashboards(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let anonymous = app
        .client
        .get(app.url("/api/owner/events"))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let stream = open_stream(&app, &cookie).await;
    let id = seed_lead(&app.state.db).await;
    let facts = booking(&id, "bk_live", "2026-12-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-11-20T10:00:00Z")),
        "applied",
    )
    .await;
    assert!(changed_within(stream, Duration::from_secs(2)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_on_one_process_reaches_dashboards_on_another() {
    let (first, cookie) = signed_in(Backend::Postgres, &[]).await;
    let shared = first.db().url.clone();
    let second = spawn_app_with(
        Backend::Postgres,
        &[("DATABASE_URL", shared.as_str())],
        Router::new(),
    )
    .await;
    // A stream on the first process; the webhook lands on the second.
    let stream = open_stream(&first, &cookie).await;
    let id = seed_lead(&second.state.db).await;
    let facts = booking(&id, "bk_other", "2026-12-01T09:00:00Z");
    deliver_expecting(
        &second,
        &payloads::booking_created(&facts, at("2026-11-20T10:00:00Z")),
        "applied",
    )
    .await;
    assert!(changed_within(stream, Duration::from_secs(2)).await);
}

async fn data_trust(app: &TestApp, cookie: &str, day: &str) -> Value {
    let body: Value = metrics(app, Some(cookie), &[("from", day), ("to", day)])
        .await
        .json()
        .await
        .expect("json");
    body["data_trust"].clone()
}

async fn the_data_trust_panel_says_why_outcomes_need_a_manual_check(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("DATA_TRUST_STALE_HOURS", "1")]).await;
    let day = today();
    let healthy = data_trust(&app, &cookie, &day).await;
    assert_eq!(healthy["needs_manual_confirm"], false, "{healthy}");
    assert_eq!(healthy["reasons"], serde_json::json!([]));

    // Bookings exist, but the feed has said nothing for longer than allowed.
    let id = seed_lead(&app.state.db).await;
    let facts = booking(&id, "bk_quiet", "2026-12-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-11-20T10:00:00Z")),
        "applied",
    )
    .await;
    let two_hours_ago = app::ssr::db::DbTime::new(
        jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_hours(2))
            .expect("a time"),
    );
    app::ssr::db::on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update booking_events set received_at = $1",
    )
    .bind(two_hours_ago)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("an older feed");
    let stale = data_trust(&app, &cookie, &day).await;
    assert_eq!(stale["needs_manual_confirm"], true, "{stale}");
    assert!(
        stale["reasons"][0]
            .as_str()
            .is_some_and(|r| r.contains("more than 1 hours")),
        "{stale}"
    );

    // A delivery that could not be applied waits in the failure queue.
    let stranger = booking(
        &uuid::Uuid::new_v4().to_string(),
        "bk_stranger",
        "2026-12-02T09:00:00Z",
    );
    deliver_expecting(
        &app,
        &payloads::booking_created(&stranger, jiff::Timestamp::now()),
        "queued",
    )
    .await;
    let failing = data_trust(&app, &cookie, &day).await;
    assert_eq!(failing["needs_manual_confirm"], true, "{failing}");
    assert_eq!(failing["unresolved_failures"], 1, "{failing}");
    assert!(
        failing["reasons"][0]
            .as_str()
            .is_some_and(|r| r.contains("could not be applied")),
        "{failing}"
    );

    // The page marks the outcome figures and says why.
    let page = app
        .client
        .get(app.url("/dashboard?days=7"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert!(page.contains("needs manual confirm"), "{page}");
    assert!(page.contains("could not be applied"), "{page}");
}
