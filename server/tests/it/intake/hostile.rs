//! Hostile input and a database outage get a clear answer, never a 500 or a stored lead.

use super::*;

#[tokio::test]
async fn hostile_input_gets_a_clear_answer_never_a_500() {
    let app = app_without_fill_wait(Backend::Sqlite).await;
    let ticket = show_form(&app, "/", None).await;

    let oversized = form_body(&ticket, &[("message", "x".repeat(200_000))]);
    let response = post_plain(&app, &oversized).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let mut long_fields = person();
    long_fields[0].1 = "N".repeat(5_000);
    long_fields[4].1 = "m".repeat(20_000);
    let response = post_plain(&app, &form_body(&ticket, &long_fields)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    assert!(html.contains("Use at most 100 characters"));
    assert!(html.contains("Use at most 2,000 characters"));

    let hidden: String = ticket
        .fields
        .iter()
        .map(|(k, v)| format!("{k}={}&", urlencode(v)))
        .collect();
    let invalid_utf8 = format!(
        "{hidden}name=%FF%FE%FD&email=ana%40example.com&message=%C3%28%C3%28%C3%28%C3%28%C3%28%C3%28&consent=on"
    );
    let response = app
        .client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(invalid_utf8)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = app
        .client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("name=a&name=b")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = app
        .client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("name=%FF&name=b&consent")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_client_error(), "{}", response.status());
    assert_eq!(lead_count(&app.state.db).await, 0);
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test]
async fn a_database_outage_answers_503_with_a_way_back() {
    let app = app_without_fill_wait(Backend::Sqlite).await;
    let ticket = show_form(&app, "/", None).await;
    app.state.db.close().await;
    let response = post_plain(&app, &form_body(&ticket, &person())).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("send the form again"));
}
