//! Server-rendered pages and the headers every response carries.

use reqwest::{header, StatusCode};

use crate::on_both_backends;
use crate::support::{spawn_app, Backend};

on_both_backends!(the_home_page_is_server_rendered_with_a_nonced_policy);

async fn the_home_page_is_server_rendered_with_a_nonced_policy(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.client.get(app.url("/")).send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let policy = header_text(&response, header::CONTENT_SECURITY_POLICY);
    let body = response.text().await.expect("body");

    assert!(body.contains("<h1>"), "rendered on the server: {body}");
    assert!(body.contains(r#"data-hydrated="false""#));
    let nonce = nonce_of(&policy);
    let scripts = body.matches("<script").count();
    let nonced = body.matches(&format!(r#"nonce="{nonce}""#)).count();
    assert!(scripts > 0);
    assert_eq!(
        scripts, nonced,
        "every script carries this response's nonce"
    );
}

#[tokio::test]
async fn every_response_gets_a_fresh_nonce() {
    let app = spawn_app(Backend::Sqlite).await;
    let first = app.client.get(app.url("/")).send().await.expect("send");
    let second = app.client.get(app.url("/")).send().await.expect("send");
    let (a, b) = (
        header_text(&first, header::CONTENT_SECURITY_POLICY),
        header_text(&second, header::CONTENT_SECURITY_POLICY),
    );
    assert_ne!(nonce_of(&a), nonce_of(&b));
}

#[tokio::test]
async fn the_policy_allows_only_what_the_pages_need() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.client.get(app.url("/")).send().await.expect("send");
    let policy = header_text(&response, header::CONTENT_SECURITY_POLICY);
    for directive in [
        "default-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("'unsafe-eval'"));
    assert!(!policy.contains("'unsafe-inline'"));
    assert_eq!(
        header_text(&response, header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );
    assert_eq!(header_text(&response, header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn an_unknown_path_answers_404_with_a_way_back() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY));
    let body = response.text().await.expect("body");
    assert!(body.contains(r#"href="/""#), "{body}");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await;
    let made = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("send");
    let id = header_text(&made, "x-request-id");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");

    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "from-the-proxy-123")
        .send()
        .await
        .expect("send");
    assert_eq!(header_text(&given, "x-request-id"), "from-the-proxy-123");
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    let app = spawn_app(Backend::Sqlite).await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url("/"))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .expect("send");
        assert_eq!(header_text(&response, header::CONTENT_ENCODING), encoding);
    }
}

pub fn header_text(response: &reqwest::Response, name: impl header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The nonce a page's policy allows its scripts by.
pub fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    let end = policy[start..].find('\'').expect("closing quote") + start;
    policy[start..end].to_owned()
}
