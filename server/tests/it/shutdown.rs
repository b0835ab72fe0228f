//! Graceful shutdown and the request timeout.

use std::time::Duration;

use app::ssr::state::AppState;
use axum::{routing::get, Router};
use reqwest::StatusCode;

use crate::support::{spawn_app_with, Backend};

fn slow_route(delay: Duration) -> Router<AppState> {
    Router::new().route(
        "/slow",
        get(move || async move {
            tokio::time::sleep(delay).await;
            "finished"
        }),
    )
}

#[tokio::test]
async fn a_shutdown_lets_requests_in_flight_finish() {
    let mut app =
        spawn_app_with(Backend::Sqlite, &[], slow_route(Duration::from_millis(600))).await;
    let in_flight = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/slow"));
        async move { client.get(url).send().await }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    app.begin_shutdown();

    let response = in_flight
        .await
        .expect("joined")
        .expect("the request completes");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("body"), "finished");

    let served = app.served.take().expect("a server task");
    tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("the server stops after the last request")
        .expect("joined")
        .expect("served without error");
    let after = reqwest::Client::new().get(app.url("/healthz")).send().await;
    assert!(after.is_err(), "no new connections once stopped");
}

#[tokio::test]
async fn a_request_that_takes_too_long_gets_408() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("REQUEST_TIMEOUT_SECONDS", "1")],
        slow_route(Duration::from_secs(3)),
    )
    .await;
    let response = app.client.get(app.url("/slow")).send().await.expect("send");
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
}
