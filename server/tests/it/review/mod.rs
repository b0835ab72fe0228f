//! The review queue over HTTP, on both backends: each kind of item appears, each action does
//! what it says (through the same code paths as a live delivery), resolved items answer 409,
//! actions that do not fit answer 422, and every action is in the audit trail.

mod guards;
mod linking;
mod outcomes;
mod pages;
mod upkeep;

use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

/// Brings the queue up to date as it will be at `now` (time passing, for a test).
pub async fn refresh_at(app: &TestApp, now: jiff::Timestamp) {
    app::ssr::review::refresh(&app.state, now)
        .await
        .expect("the queue refreshes");
}

/// `hours` from now.
pub fn in_hours(hours: i64) -> jiff::Timestamp {
    jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(hours))
        .expect("a time")
}

/// `GET /api/review?kind=…` as the owner.
pub async fn queue(app: &TestApp, cookie: &str, kind: Option<&str>) -> Value {
    let mut request = app
        .client
        .get(app.url("/api/review"))
        .header(header::COOKIE, cookie);
    if let Some(kind) = kind {
        request = request.query(&[("kind", kind)]);
    }
    let response = request.send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

/// The open items of a kind.
pub async fn items(app: &TestApp, cookie: &str, kind: &str) -> Vec<Value> {
    items_at(app, cookie, kind, jiff::Timestamp::now()).await
}

/// The open items of a kind once the queue is brought up to date at `now`.
pub async fn items_at(app: &TestApp, cookie: &str, kind: &str, now: jiff::Timestamp) -> Vec<Value> {
    refresh_at(app, now).await;
    queue(app, cookie, Some(kind)).await["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `POST /api/review/{id}` with form fields, as the owner's page sends it.
pub async fn act(
    app: &TestApp,
    cookie: &str,
    id: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/review/{id}")))
        .header(header::COOKIE, cookie)
        .form(form)
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The audit trail, newest first.
pub async fn audit(app: &TestApp, cookie: &str) -> Vec<Value> {
    let response = app
        .client
        .get(app.url("/api/audit"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.expect("json");
    page["entries"].as_array().cloned().unwrap_or_default()
}
