//! Who may use the leads: owners only (401 for the JSON routes, a redirect to sign-in for the
//! pages), writes only from the app's own pages (403 cross-site), and an erasure only when it
//! is confirmed (422).

use reqwest::{header, StatusCode};

use super::{seed, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
};

on_both_backends!(
    the_leads_refuse_strangers_cross_site_writes_and_unconfirmed_erasure,
    the_pages_erase_form_works_without_javascript,
);

async fn the_pages_erase_form_works_without_javascript(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let lead = seed(&app.state.db, Seed::default()).await;
    let page = app.url(&format!("/leads/{lead}"));
    // As a browser without JavaScript posts the page's form: back to the page it came from.
    let posted = app
        .client
        .post(app.url("/api/owner/lead_erase"))
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, &page)
        .form(&[("submission_id", lead.as_str()), ("confirm", "ERASE")])
        .send()
        .await
        .expect("send");
    assert!(posted.status().is_redirection(), "{}", posted.status());
    let location = posted
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // (Any stale error parameters are stripped, which may leave an empty query.)
    assert!(
        location
            .trim_end_matches('?')
            .ends_with(&format!("/leads/{lead}")),
        "{location}"
    );
    let html = app
        .client
        .get(&page)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("data-testid=\"erased\""),
        "the page shows the erased lead"
    );
    assert!(!html.contains("Ana Kovač"));
}

async fn the_leads_refuse_strangers_cross_site_writes_and_unconfirmed_erasure(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let lead = seed(&app.state.db, Seed::default()).await;
    let erase = format!("/api/leads/{lead}/erase");
    for path in [
        "/api/leads".to_owned(),
        "/api/leads?format=csv".to_owned(),
        format!("/api/leads/{lead}"),
        "/api/owner/leads".to_owned(),
        format!("/api/owner/lead?submission_id={lead}"),
    ] {
        let response = app.client.get(app.url(&path)).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body: serde_json::Value = response.json().await.expect("a problem");
        assert_eq!(body["error"], "unauthenticated", "{path}");
    }
    for path in [erase.as_str(), "/api/owner/lead_erase"] {
        let anonymous = app
            .client
            .post(app.url(path))
            .form(&[("submission_id", lead.as_str()), ("confirm", "yes")])
            .send()
            .await
            .expect("send");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        let cross_site = app
            .client
            .post(app.url(path))
            .header(header::COOKIE, &cookie)
            .header("sec-fetch-site", "cross-site")
            .form(&[("submission_id", lead.as_str()), ("confirm", "yes")])
            .send()
            .await
            .expect("send");
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN, "{path}");
        let other_origin = app
            .client
            .post(app.url(path))
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, "https://evil.example")
            .form(&[("submission_id", lead.as_str()), ("confirm", "yes")])
            .send()
            .await
            .expect("send");
        assert_eq!(other_origin.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for (path, location) in [
        ("/leads".to_owned(), "/signin?next=%2Fleads".to_owned()),
        (
            format!("/leads/{lead}"),
            format!("/signin?next=%2Fleads%2F{lead}"),
        ),
    ] {
        let page = app
            .client
            .get(app.url(&path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("send");
        assert_eq!(page.status(), StatusCode::FOUND, "{path}");
        assert_eq!(
            page.headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some(location.as_str())
        );
    }

    // Unconfirmed: 422, and nothing changes.
    for confirm in [None, Some("no"), Some("")] {
        let mut request = app
            .client
            .post(app.url(&erase))
            .header(header::COOKIE, &cookie);
        if let Some(confirm) = confirm {
            request = request.form(&[("confirm", confirm)]);
        }
        let response = request.send().await.expect("send");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{confirm:?}"
        );
    }
    let (_, view) = super::get_json(&app, &format!("/api/leads/{lead}"), Some(&cookie)).await;
    assert_eq!(view["lead"]["name"], "Ana Kovač");
    let unknown = app
        .client
        .post(app.url(&format!("/api/leads/{}/erase", uuid::Uuid::new_v4())))
        .header(header::COOKIE, &cookie)
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("send");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // Signed in, the pages render the list and the lead.
    for path in ["/leads".to_owned(), format!("/leads/{lead}")] {
        let page = app
            .client
            .get(app.url(&path))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .expect("send");
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        let html = page.text().await.expect("html");
        assert!(html.contains("Ana Kovač"), "{path}");
        assert!(
            html.contains("href=\"/leads\""),
            "the nav names the leads: {path}"
        );
    }
}
