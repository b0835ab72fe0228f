//! Owner sign-in over HTTP: the session cookie, the guarded dashboard and owner server
//! functions, the attempt limits, sign-out, expiry and cross-site writes; and creating owners
//! from the command line and from configuration (`accounts`).

mod accounts;
mod limits;

use std::process::{Command, Stdio};

use app::ssr::{
    auth::{create_first_owner, create_or_update_owner, session},
    db::{Db, DbTime},
    store::owners,
};
use axum::Router;
use reqwest::{header, StatusCode};

use crate::{
    on_both_backends,
    pages::header_text,
    support::{spawn_app, spawn_app_with, Backend, TestApp, TestDb},
};

const EMAIL: &str = "owner@acme.example";
const PASSWORD: &str = "a long enough passphrase";

on_both_backends!(
    signing_in_opens_the_dashboard_and_signing_out_closes_it,
    a_wrong_password_or_unknown_email_is_refused_alike,
    sign_in_attempts_are_limited_per_account,
    an_expired_session_signs_nobody_in,
    every_owner_server_function_refuses_anyone_not_signed_in,
);

async fn app_with_owner(backend: Backend, vars: &[(&str, &str)]) -> TestApp {
    let app = spawn_app_with(backend, vars, Router::new()).await;
    create_or_update_owner(&app.state.db, EMAIL, PASSWORD.into())
        .await
        .expect("an owner");
    app
}

/// A browser's plain form post (no JavaScript): the answer is a real redirect.
const HTML: &str = "text/html,application/xhtml+xml";

async fn post_sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/signin"))
        .header(header::ACCEPT, HTML)
        .header(header::REFERER, app.url("/signin?next=%2Fdashboard"))
        .form(&[
            ("email", email),
            ("password", password),
            ("next", "/dashboard"),
        ])
        .send()
        .await
        .expect("send")
}

/// The session cookie's `name=value` from a sign-in answer.
fn session_cookie(response: &reqwest::Response) -> String {
    let set_cookie = header_text(response, header::SET_COOKIE);
    assert!(set_cookie.starts_with("handoff_session="), "{set_cookie}");
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

async fn get_with(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path)).header(header::ACCEPT, HTML);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("send")
}

async fn signing_in_opens_the_dashboard_and_signing_out_closes_it(backend: Backend) {
    let app = app_with_owner(backend, &[]).await;

    let signed_out = get_with(&app, "/dashboard", None).await;
    assert_eq!(signed_out.status(), StatusCode::FOUND);
    assert_eq!(
        header_text(&signed_out, header::LOCATION),
        "/signin?next=%2Fdashboard"
    );

    // Email case and surrounding spaces do not matter.
    let signed_in = post_sign_in(&app, " Owner@ACME.example ", PASSWORD).await;
    assert!(
        signed_in.status().is_redirection(),
        "{}",
        signed_in.status()
    );
    assert_eq!(header_text(&signed_in, header::LOCATION), "/dashboard");
    let set_cookie = header_text(&signed_in, header::SET_COOKIE);
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain http here: {set_cookie}"
    );
    let cookie = session_cookie(&signed_in);

    let dashboard = get_with(&app, "/dashboard", Some(&cookie)).await;
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert!(dashboard.text().await.expect("body").contains(EMAIL));

    let signed_out = app
        .client
        .post(app.url("/api/owner/signout"))
        .header(header::ACCEPT, HTML)
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert!(
        signed_out.status().is_redirection(),
        "{}",
        signed_out.status()
    );
    assert!(header_text(&signed_out, header::SET_COOKIE).contains("Max-Age=0"));
    // The old cookie no longer signs anyone in, even if the browser kept it.
    let after = get_with(&app, "/dashboard", Some(&cookie)).await;
    assert_eq!(after.status(), StatusCode::FOUND);
}

/// A refused plain form post goes back to the sign-in page, which shows why.
async fn assert_sent_back_with(app: &TestApp, response: reqwest::Response, message: &str) {
    assert!(response.status().is_redirection(), "{}", response.status());
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let location = header_text(&response, header::LOCATION);
    assert!(
        location.starts_with(&app.url("/signin?")) && location.contains("__err="),
        "{location}"
    );
    let page = app
        .client
        .get(&location)
        .header(header::ACCEPT, HTML)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert!(page.contains(message), "{message} in {page}");
}

async fn a_wrong_password_or_unknown_email_is_refused_alike(backend: Backend) {
    let app = app_with_owner(backend, &[]).await;
    let wrong = post_sign_in(&app, EMAIL, "not the passphrase at all").await;
    let unknown = post_sign_in(&app, "nobody@acme.example", PASSWORD).await;
    for response in [wrong, unknown] {
        assert_sent_back_with(&app, response, "That email and password do not match").await;
    }
    // Called by the hydrated page (or a script): the error with its status.
    let called = app
        .client
        .post(app.url("/api/signin"))
        .form(&[("email", EMAIL), ("password", "not the passphrase at all")])
        .send()
        .await
        .expect("send");
    assert_eq!(called.status(), StatusCode::UNAUTHORIZED);
    let body = called.text().await.expect("body");
    assert!(body.contains("sign_in_refused"), "{body}");
    assert_eq!(session_count(&app.state.db).await, 0);
}

async fn sign_in_attempts_are_limited_per_account(backend: Backend) {
    let app = app_with_owner(backend, &[("SIGNIN_ATTEMPTS_PER_HOUR", "3")]).await;
    for _ in 0..3 {
        let refused = post_sign_in(&app, EMAIL, "guessing wrongly").await;
        assert_sent_back_with(&app, refused, "do not match").await;
    }
    // Past the limit even the right password is not checked.
    let limited = post_sign_in(&app, EMAIL, PASSWORD).await;
    assert_sent_back_with(&app, limited, "Too many attempts").await;
    let called = app
        .client
        .post(app.url("/api/signin"))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("send");
    assert_eq!(called.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(session_count(&app.state.db).await, 0);
}

async fn an_expired_session_signs_nobody_in(backend: Backend) {
    let app = app_with_owner(backend, &[]).await;
    let owner = owners::find_by_email(&app.state.db, EMAIL)
        .await
        .expect("read")
        .expect("the owner");
    let token = session::new_token();
    let past = |hours: i64| {
        DbTime::new(
            jiff::Timestamp::now()
                .checked_sub(jiff::SignedDuration::from_hours(hours))
                .expect("a time"),
        )
    };
    owners::insert_session(
        &app.state.db,
        &session::token_hash(&token),
        &owner.id,
        past(13),
        past(1),
    )
    .await
    .expect("a session");
    let cookie = format!("handoff_session={token}");
    assert_eq!(
        get_with(&app, "/dashboard", Some(&cookie)).await.status(),
        StatusCode::FOUND
    );
    let me = app
        .client
        .post(app.url("/api/owner/me"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        owners::prune_sessions(&app.state.db, DbTime::now())
            .await
            .expect("prune"),
        1
    );
}

/// Server functions anyone may call; every other one must live under `/api/owner/` and refuse
/// a request without a session.
const PUBLIC_SERVER_FUNCTIONS: &[&str] = &[
    "/api/intake",
    "/api/intake/form",
    "/api/booking/page",
    "/api/booking/confirmation",
    "/api/signin",
];

async fn every_owner_server_function_refuses_anyone_not_signed_in(backend: Backend) {
    let app = app_with_owner(backend, &[]).await;
    let paths: Vec<(&'static str, http::Method)> =
        leptos::server_fn::axum::server_fn_paths().collect();
    let owner_paths: Vec<_> = paths
        .iter()
        .filter(|(path, _)| !PUBLIC_SERVER_FUNCTIONS.contains(path))
        .collect();
    assert!(
        owner_paths.len() >= 2,
        "owner functions are registered: {paths:?}"
    );
    for (path, method) in owner_paths {
        assert!(
            path.starts_with("/api/owner/"),
            "{path} is neither public nor an owner function"
        );
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .expect("send");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        let problem: serde_json::Value = response.json().await.expect("a JSON problem");
        assert_eq!(problem["error"], "unauthenticated", "{method} {path}");
    }
}

async fn session_count(db: &Db) -> i64 {
    app::ssr::db::on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from owner_sessions",
    )
    .fetch_one(pool)
    .await)
    .expect("count")
}

#[tokio::test]
async fn cross_site_writes_are_refused_even_with_a_session() {
    let app = app_with_owner(Backend::Sqlite, &[]).await;
    let cookie = session_cookie(&post_sign_in(&app, EMAIL, PASSWORD).await);
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(app.url("/api/owner/signout"))
            .header(header::COOKIE, &cookie)
            .header(name, value)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    assert_eq!(
        get_with(&app, "/dashboard", Some(&cookie)).await.status(),
        StatusCode::OK,
        "the session survived"
    );
    let cross_site_sign_in = app
        .client
        .post(app.url("/api/signin"))
        .header("origin", "https://evil.example")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("send");
    assert_eq!(cross_site_sign_in.status(), StatusCode::FORBIDDEN);
    // Our own pages' posts pass.
    let same_site = app
        .client
        .post(app.url("/api/signin"))
        .header(header::ACCEPT, HTML)
        .header("origin", format!("http://{}", app.addr))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("send");
    assert!(
        same_site.status().is_redirection(),
        "{}",
        same_site.status()
    );
}

#[tokio::test]
async fn the_sign_in_page_is_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let page = get_with(&app, "/signin?next=%2Fdashboard", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("body");
    assert!(
        body.contains(r#"autocomplete="current-password""#),
        "{body}"
    );
    assert!(body.contains(r#"action="/api/signin""#), "{body}");
    // Without JavaScript the served form itself must carry where to go back to.
    assert!(body.contains(r#"name="next" value="/dashboard""#), "{body}");
}

#[tokio::test]
async fn an_https_public_url_makes_the_cookie_secure_and_asks_browsers_for_https() {
    let app = app_with_owner(
        Backend::Sqlite,
        &[("PUBLIC_URL", "https://book.acme.example")],
    )
    .await;
    // Plain http here (a TLS-terminating proxy in front), yet the cookie is Secure.
    let signed_in = post_sign_in(&app, EMAIL, PASSWORD).await;
    let set_cookie = header_text(&signed_in, header::SET_COOKIE);
    assert!(set_cookie.ends_with("; Secure"), "{set_cookie}");
    for path in ["/", "/signin", "/healthz", "/no-such-page"] {
        let page = get_with(&app, path, None).await;
        assert_eq!(
            header_text(&page, header::STRICT_TRANSPORT_SECURITY),
            "max-age=63072000",
            "{path}"
        );
        assert!(
            header_text(&page, "permissions-policy").contains("camera=()"),
            "{path}"
        );
    }

    let plain = app_with_owner(Backend::Sqlite, &[]).await;
    let page = get_with(&plain, "/", None).await;
    assert!(page
        .headers()
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_none());
    assert!(header_text(&page, "permissions-policy").contains("geolocation=()"));
    let set_cookie = header_text(
        &post_sign_in(&plain, EMAIL, PASSWORD).await,
        header::SET_COOKIE,
    );
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
}
