//! One error path: every error of a server function or a JSON route is answered with the
//! status its kind stands for and one problem shape, `{"error", "message", "detail"?}`.

use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::{
    on_both_backends,
    support::{owner::signed_in, spawn_app_with, Backend, TestApp},
    webhooks::post_with,
};

on_both_backends!(
    server_function_errors_carry_their_status_and_the_problem_shape,
    json_route_errors_carry_their_status_and_the_problem_shape,
);

/// The status and the problem body of a response; fails unless the body is a problem.
async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    assert!(
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "{status}: a JSON body"
    );
    let body: Value = response.json().await.expect("a JSON problem");
    assert!(body["error"].is_string(), "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    (status, body)
}

async fn server_function_errors_carry_their_status_and_the_problem_shape(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let not_found = app
        .client
        .post(app.url("/api/booking/page"))
        .form(&[("submission_id", "not-an-id")])
        .send()
        .await
        .expect("send");
    let (status, body) = problem(not_found).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    let bad_window = app
        .client
        .get(app.url("/api/owner/dashboard"))
        .query(&[("from", "2026-13-01"), ("to", "2026-12-01")])
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    let (status, body) = problem(bad_window).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-13-01")),
        "{body}"
    );

    let wrong_password = app
        .client
        .post(app.url("/api/signin"))
        .form(&[
            ("email", "owner@acme.example"),
            ("password", "not the password"),
        ])
        .send()
        .await
        .expect("send");
    let (status, body) = problem(wrong_password).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("sign_in_refused"))
    );

    let unreadable = app
        .client
        .post(app.url("/api/booking/page"))
        .form(&[("nothing", "here")])
        .send()
        .await
        .expect("send");
    let (status, body) = problem(unreadable).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("transport"))
    );
}

async fn unavailable_after_closing(app: &TestApp) {
    app.state.db.close().await;
}

async fn json_route_errors_carry_their_status_and_the_problem_shape(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[("WEBHOOK_MAX_BODY_BYTES", "1024")],
        axum::Router::new(),
    )
    .await;
    for path in [
        "/api/metrics?from=2026-11-01&to=2026-11-30",
        "/api/owner/events",
    ] {
        let response = app.client.get(app.url(path)).send().await.expect("send");
        let (status, body) = problem(response).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthenticated")),
            "{path}"
        );
    }

    let unsigned = post_with(&app, "{}", None).await;
    let (status, body) = problem(unsigned).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature"))
    );

    let too_large = post_with(&app, &"x".repeat(2048), Some("00")).await;
    let (status, body) = problem(too_large).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );

    // Neither the database nor the spool can take it: the spool is smaller than the body.
    let broken = spawn_app_with(
        backend,
        &[("WEBHOOK_SPOOL_MAX_BYTES", "65536")],
        axum::Router::new(),
    )
    .await;
    unavailable_after_closing(&broken).await;
    let body = format!(
        r#"{{"triggerEvent":"PING","createdAt":"2026-10-01T09:00:00.000Z","payload":{{"pad":"{}"}}}}"#,
        "x".repeat(70_000)
    );
    let body = body.as_str();
    let signature =
        app::ssr::calcom::signature::sign(crate::support::app::WEBHOOK_SECRET, body.as_bytes());
    let (status, problem_body) = problem(post_with(&broken, body, Some(&signature)).await).await;
    assert_eq!(
        (status, problem_body["error"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable"))
    );
}
