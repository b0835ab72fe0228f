//! Who may use the queue: owners only, from the app's own pages; and what an unknown item or
//! a malformed request is answered.

use reqwest::{header, StatusCode};

use super::act;
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
};

on_both_backends!(the_queue_refuses_strangers_cross_site_writes_and_unknown_items);

async fn the_queue_refuses_strangers_cross_site_writes_and_unknown_items(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    for path in ["/api/review", "/api/audit"] {
        let response = app.client.get(app.url(path)).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let anonymous = app
        .client
        .post(app.url("/api/review/not_booked:x"))
        .form(&[("action", "dismiss"), ("reason", "x")])
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    for path in ["/api/review/not_booked:x", "/api/review/bulk"] {
        let cross_site = app
            .client
            .post(app.url(path))
            .header(header::COOKIE, &cookie)
            .header("sec-fetch-site", "cross-site")
            .form(&[("action", "dismiss"), ("reason", "x")])
            .send()
            .await
            .expect("send");
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = act(
        &app,
        &cookie,
        "not_booked:nobody",
        &[("action", "dismiss"), ("reason", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = act(
        &app,
        &cookie,
        "nonsense",
        &[("action", "dismiss"), ("reason", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = act(&app, &cookie, "not_booked:nobody", &[("action", "explode")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let bad_kind = app
        .client
        .get(app.url("/api/review?kind=everything"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(bad_kind.status(), StatusCode::BAD_REQUEST);
}
