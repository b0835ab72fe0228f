//! The booking page over HTTP: the first visit recorded once, the embed's policy on this page
//! only, the booking shown only once the database has it.

use app::ssr::{
    calcom::payloads,
    db::{on_pool, Db, DbTime},
};
use reqwest::{header, StatusCode};

use crate::{
    on_both_backends,
    pages::{header_text, nonce_of},
    support::{spawn_app, spawn_app_with, Backend, TestApp},
    webhooks::{at, booking, deliver_expecting, lead_booking, seed_lead},
};

on_both_backends!(
    the_first_visit_invites_the_lead_once,
    a_visit_after_the_booking_keeps_the_booking_stage,
    the_page_shows_a_booking_only_once_its_webhook_is_applied,
    an_unknown_id_is_answered_without_a_database_write,
    an_old_link_still_books_but_shows_nothing_personal,
);

/// While another transaction holds the write lock (SQLite's one writer; PostgreSQL's leads
/// table locked against writes), a visit with an unknown id is answered at once: it only
/// reads.
async fn an_unknown_id_is_answered_without_a_database_write(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut tx = app.state.db.begin().await.expect("a write transaction");
    if let app::ssr::db::Tx::Postgres(tx) = &mut tx {
        sqlx::query("lock table leads in exclusive mode")
            .execute(&mut **tx)
            .await
            .expect("lock");
    }
    let unknown = uuid::Uuid::new_v4();
    let visit = app
        .client
        .get(app.url(&format!("/book/{unknown}")))
        .timeout(std::time::Duration::from_secs(3))
        .send()
        .await
        .expect("answered while the writer is busy");
    assert_eq!(visit.status(), StatusCode::NOT_FOUND);
    drop(tx);
}

/// Past `BOOKING_LINK_DAYS` the page greets nobody and prefills nothing, yet the booker is
/// there with the submission id; a lead whose booking was cancelled or missed books again.
async fn an_old_link_still_books_but_shows_nothing_personal(backend: Backend) {
    let app = spawn_app(backend).await;
    // Seeded leads date from 20 September; today is well past thirty days later.
    let id = seed_lead(&app.state.db).await;
    assert_bookable_without_personal_data(visit(&app, &id).await, &id).await;

    let facts = booking(&id, "bk_old_link", "2026-12-03T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-11-28T10:00:00Z")),
        "applied",
    )
    .await;
    let cancel = payloads::booking_cancelled(&facts, Some("Clash"), at("2026-11-29T10:00:00Z"));
    deliver_expecting(&app, &cancel, "applied").await;
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "cancelled");
    assert_bookable_without_personal_data(visit(&app, &id).await, &id).await;

    let again = booking(&id, "bk_again", "2026-12-04T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&again, at("2026-11-29T11:00:00Z")),
        "applied",
    )
    .await;
    let no_show = payloads::no_show_updated(&again, true, at("2026-11-30T11:00:00Z"));
    deliver_expecting(&app, &no_show, "applied").await;
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "no_show");
    assert_bookable_without_personal_data(visit(&app, &id).await, &id).await;
}

async fn invited_at(db: &Db, submission_id: &str) -> Option<DbTime> {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, Option<DbTime>>(
        "select invited_at from leads where submission_id = $1",
    )
    .bind(submission_id)
    .fetch_one(pool)
    .await)
    .expect("the lead")
}

/// The booker is on the page with the submission id, and nothing of the lead is.
async fn assert_bookable_without_personal_data(
    (page, policy): (reqwest::Response, String),
    submission_id: &str,
) {
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("body");
    // The nonce is random base64: it may spell a name by chance.
    let body = body.replace(&nonce_of(&policy), "");
    assert!(body.contains(r#"id="cal-booker""#), "{body}");
    assert!(body.contains(&format!("metadata%5BsubmissionId%5D={submission_id}")));
    assert!(body.contains("Pick a time"));
    for personal in ["Ana", "Kova", "ana.kovac", "example.com"] {
        assert!(!body.contains(personal), "{personal} shown: {body}");
    }
}

async fn visit(app: &TestApp, submission_id: &str) -> (reqwest::Response, String) {
    let response = app
        .client
        .get(app.url(&format!("/book/{submission_id}")))
        .send()
        .await
        .expect("send");
    let policy = header_text(&response, header::CONTENT_SECURITY_POLICY);
    (response, policy)
}

async fn the_first_visit_invites_the_lead_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = seed_lead(&app.state.db).await;
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "new");
    assert_eq!(invited_at(&app.state.db, &id).await, None);

    let (response, _) = visit(&app, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let first = invited_at(&app.state.db, &id)
        .await
        .expect("invited_at is set");
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "invited");

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (again, _) = visit(&app, &id).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        invited_at(&app.state.db, &id).await,
        Some(first),
        "later visits change nothing"
    );
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "invited");
}

async fn a_visit_after_the_booking_keeps_the_booking_stage(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = seed_lead(&app.state.db).await;
    let facts = booking(&id, "bk_first", "2026-12-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-11-20T10:00:00Z")),
        "applied",
    )
    .await;

    let (response, _) = visit(&app, &id).await;
    let body = response.text().await.expect("body");
    assert_eq!(lead_booking(&app.state.db, &id).await.stage, "booked");
    assert!(invited_at(&app.state.db, &id).await.is_some());
    // Europe/Zagreb is UTC+1 in December.
    assert!(
        body.contains("You&#x27;re booked") || body.contains("You're booked"),
        "{body}"
    );
    assert!(
        body.contains("Tuesday 1 December 2026, 10:00–10:30 (Europe/Zagreb)"),
        "{body}"
    );
    assert!(
        body.contains(r#"datetime="2026-12-01T09:00:00Z""#),
        "{body}"
    );
}

async fn the_page_shows_a_booking_only_once_its_webhook_is_applied(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = seed_lead(&app.state.db).await;
    let confirmation = |uid: &str| {
        app.client
            .get(app.url("/api/booking/confirmation"))
            .query(&[("submission_id", id.as_str()), ("uid", uid)])
            .send()
    };

    // The booker may claim a booking: until the webhook is applied there is none.
    let before = confirmation("bk_claimed").await.expect("send");
    assert_eq!(before.status(), StatusCode::OK);
    assert_eq!(
        before.json::<serde_json::Value>().await.expect("json"),
        serde_json::Value::Null
    );

    let facts = booking(&id, "bk_claimed", "2026-12-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-11-20T10:00:00Z")),
        "applied",
    )
    .await;

    let after: serde_json::Value = confirmation("bk_claimed")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(after["uid"], "bk_claimed");
    assert_eq!(after["accepted"], true);
    assert_eq!(
        after["when"],
        "Tuesday 1 December 2026, 10:00–10:30 (Europe/Zagreb)"
    );

    // Another uid (a forged message) is not this lead's booking.
    let forged: serde_json::Value = confirmation("bk_forged")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(forged, serde_json::Value::Null);

    // A cancelled booking is no longer shown.
    let cancel = payloads::booking_cancelled(&facts, Some("Clash"), at("2026-11-21T10:00:00Z"));
    deliver_expecting(&app, &cancel, "applied").await;
    let gone: serde_json::Value = confirmation("bk_claimed")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(gone, serde_json::Value::Null);
}

#[tokio::test]
async fn only_the_booking_page_lets_the_embed_in() {
    let app = spawn_app(Backend::Sqlite).await;
    let id = seed_lead(&app.state.db).await;
    let (response, policy) = visit(&app, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    for directive in [
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval' http://127.0.0.1:4010;",
        "frame-src http://127.0.0.1:4010;",
        "style-src 'self' 'unsafe-inline';",
        "connect-src 'self';",
        "default-src 'self';",
        "object-src 'none';",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("'unsafe-eval'"));
    assert!(
        response.headers().get("x-handoff-csp-profile").is_none(),
        "the page's request for the policy stays inside the server"
    );

    let (home, home_policy) = {
        let r = app.client.get(app.url("/")).send().await.expect("send");
        let p = header_text(&r, header::CONTENT_SECURITY_POLICY);
        (r, p)
    };
    assert_eq!(home.status(), StatusCode::OK);
    for page_policy in [home_policy, visit(&app, "not-a-uuid").await.1] {
        assert!(!page_policy.contains("4010"), "{page_policy}");
        assert!(!page_policy.contains("unsafe-inline"), "{page_policy}");
    }
}

#[tokio::test]
async fn the_page_carries_the_embed_set_up_and_a_plain_link() {
    // Seeded leads date from September: a long link life keeps them greeted and prefilled.
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("BOOKING_LINK_DAYS", "3650")],
        axum::Router::new(),
    )
    .await;
    let id = seed_lead(&app.state.db).await;
    let (response, _) = visit(&app, &id).await;
    let body = response.text().await.expect("body");
    let link = format!(
        "http://127.0.0.1:4010/acme/intro?name=Ana+Kova%C4%8D&amp;email=ana.kovac%40example.com\
         &amp;metadata%5BsubmissionId%5D={id}"
    );
    assert!(
        body.contains(&link),
        "the fallback link, server-rendered: {body}"
    );
    assert!(body.contains(r#"id="cal-booker""#));
    assert!(body.contains("Thanks, Ana"));
}

#[tokio::test]
async fn the_confirmation_of_a_malformed_id_is_not_found() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .get(app.url("/api/booking/confirmation"))
        .query(&[("submission_id", "not-a-uuid"), ("uid", "x")])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
