//! Liveness and readiness.

use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{spawn_app, Backend};

on_both_backends!(
    healthz_answers_while_the_process_runs,
    readyz_answers_ready_when_the_database_answers,
    readyz_answers_503_when_the_database_is_gone,
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

async fn readyz_answers_503_when_the_database_is_gone(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.db.close().await;
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
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
