//! Liveness and readiness.

use reqwest::StatusCode;

use crate::on_both_backends;
use app::ssr::spool::SpooledDelivery;

use crate::support::{spawn_app, spawn_app_with, Backend};

on_both_backends!(
    healthz_answers_while_the_process_runs,
    readyz_answers_ready_when_the_database_answers,
    readyz_stays_ready_for_webhooks_while_the_spool_takes_them,
    readyz_answers_503_when_neither_the_database_nor_the_spool_can_take_work,
);

async fn healthz_answers_while_the_process_runs(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
}

async fn readyz_answers_ready_when_the_database_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ready");
}

async fn readyz_stays_ready_for_webhooks_while_the_spool_takes_them(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.db.close().await;
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["database"], "unavailable");
    assert_eq!(body["spool"]["writable"], true);
}

async fn readyz_answers_503_when_neither_the_database_nor_the_spool_can_take_work(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        &[("WEBHOOK_SPOOL_MAX_BYTES", "65536")],
        axum::Router::new(),
    )
    .await;
    app.state.db.close().await;
    let filler = SpooledDelivery {
        received_at: jiff::Timestamp::now(),
        body: vec![b'x'; 16_000],
    };
    while app.state.spool.append(&filler).await.is_ok() {}
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "unavailable", "{body}");
    assert_eq!(body["spool"]["writable"], false);
    let health = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("send");
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "the process itself is still up"
    );
}
