//! The review and audit pages over HTTP, as a browser without JavaScript uses them: signed
//! out they send you to sign in; an item is found, searched for its lead, linked with a plain
//! form post that comes back to the page saying what was done; a second post comes back with
//! the 409 in words; the audit page shows the action; bulk actions settle a whole kind.

use app::ssr::calcom::payloads;
use reqwest::{header, StatusCode};

use super::{items, refresh_at};
use crate::{
    on_both_backends,
    pages::header_text,
    support::{
        owner::{signed_in, OWNER_EMAIL},
        spawn_app, Backend, TestApp,
    },
    webhooks::{at, booking, deliver, deliver_expecting, lead_booking, seed_lead},
};

on_both_backends!(
    a_held_booking_is_found_searched_and_linked_from_the_page_without_javascript,
    a_bulk_action_settles_every_open_item_of_the_kind,
);

const HTML: &str = "text/html,application/xhtml+xml";

async fn page(app: &TestApp, cookie: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(app.url(path)).header(header::ACCEPT, HTML);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("send")
}

async fn page_text(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = page(app, Some(cookie), path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

/// A plain form post from `from` (a page of this site), as a browser without JavaScript sends it.
async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    from: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header(header::ACCEPT, HTML)
        .header(header::COOKIE, cookie)
        .header(header::REFERER, app.url(from))
        .form(form)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn anyone_not_signed_in_is_sent_to_sign_in() {
    let app = spawn_app(Backend::Sqlite).await;
    for (path, next) in [
        ("/review", "/signin?next=%2Freview"),
        ("/review?kind=held_event", "/signin?next=%2Freview"),
        ("/audit", "/signin?next=%2Faudit"),
    ] {
        let response = page(&app, None, path).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{path}");
        assert_eq!(header_text(&response, header::LOCATION), next, "{path}");
    }
}

async fn a_held_booking_is_found_searched_and_linked_from_the_page_without_javascript(
    backend: Backend,
) {
    let (app, cookie) = signed_in(backend, &[("HELD_EVENT_REVIEW_MINUTES", "0")]).await;
    let lead = seed_lead(&app.state.db).await;
    // Cal.com lost the metadata: the booking names no submission id, and is held.
    let mut lost = booking(&lead, "uidPageLost1", "2026-10-05T09:00:00Z");
    lost.submission_id = None;
    let created = payloads::booking_created(&lost, at("2026-09-20T10:00:00Z"));
    deliver_expecting(&app, &created, "queued").await;
    let held = items(&app, &cookie, "held_event").await;
    let id = held[0]["id"].as_str().expect("an id").to_owned();

    let queue = page_text(&app, &cookie, "/review?kind=held_event").await;
    for shown in [
        id.as_str(),
        "Held event",
        "BOOKING_CREATED",
        "uidPageLost1",
        "Ana Kovač &lt;ana.kovac@example.com&gt;",
        "The body as received",
        r#"name="q" value="ana.kovac@example.com""#,
        r#"data-testid="review-count" data-count="1""#,
        "0 unsigned deliveries refused in the last 24 h",
    ] {
        assert!(queue.contains(shown), "{shown} in {queue}");
    }

    let search = format!("/review?kind=held_event&find={id}&q=ana.kovac");
    let found = page_text(&app, &cookie, &search).await;
    assert!(found.contains("Link and apply"), "{found}");
    assert!(
        found.contains(&format!(r#"name="submission_id" value="{lead}""#)),
        "{found}"
    );

    let link = [
        ("id", id.as_str()),
        ("action", "link"),
        ("submission_id", &lead),
    ];
    let linked = post_form(&app, &cookie, "/api/owner/review/act", &search, &link).await;
    assert_eq!(linked.status(), StatusCode::FOUND);
    let back = header_text(&linked, header::LOCATION);
    assert_eq!(
        back,
        format!(
            "/review?kind=held_event&done=link&item={}",
            id.replace(':', "%3A")
        )
    );
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
    let after = page_text(&app, &cookie, &back).await;
    assert!(
        after.contains(&format!("{id}: linked to the lead and applied.")),
        "{after}"
    );
    assert!(after.contains("Nothing to review here."), "{after}");
    assert!(after.contains(r#"data-count="0""#), "{after}");

    // The same post again: the item is resolved; the page says so, in words.
    let again = post_form(&app, &cookie, "/api/owner/review/act", &search, &link).await;
    assert!(again.status().is_redirection(), "{}", again.status());
    let location = header_text(&again, header::LOCATION);
    assert!(location.contains("__err="), "{location}");
    let refused = page_text(&app, &cookie, location.trim_start_matches(&app.url(""))).await;
    assert!(refused.contains("That could not be done:"), "{refused}");
    assert!(refused.contains("was resolved already"), "{refused}");

    let audit = page_text(&app, &cookie, "/audit").await;
    for shown in [
        OWNER_EMAIL,
        "linked and applied",
        id.as_str(),
        &format!(r#"href="/leads/{lead}""#),
        "new → booked",
    ] {
        assert!(audit.contains(shown), "{shown} in {audit}");
    }
}

async fn a_bulk_action_settles_every_open_item_of_the_kind(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    for uid in ["uidBulk1", "uidBulk2"] {
        let stranger = uuid::Uuid::new_v4().to_string();
        let facts = booking(&stranger, uid, "2026-10-05T09:00:00Z");
        let (_, answer) = deliver(
            &app,
            &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        )
        .await;
        assert_eq!(answer["reason"], "unknown_submission_id");
    }
    refresh_at(&app, jiff::Timestamp::now()).await;
    let from = "/review?kind=failed_delivery";
    let bulk = "/api/owner/review/bulk";
    assert!(page_text(&app, &cookie, from).await.contains("Discard all"));

    // A bulk action that does not fit the kind is refused, with its reason on the page.
    let unfit = [("kind", "failed_delivery"), ("action", "mark_completed")];
    let refused = post_form(&app, &cookie, bulk, from, &unfit).await;
    let location = header_text(&refused, header::LOCATION);
    assert!(location.contains("__err="), "{location}");
    let said = page_text(&app, &cookie, location.trim_start_matches(&app.url(""))).await;
    assert!(said.contains("does not fit"), "{said}");

    let discard = [
        ("kind", "failed_delivery"),
        ("action", "discard"),
        ("reason", "test bookings"),
    ];
    let done = post_form(&app, &cookie, bulk, from, &discard).await;
    assert_eq!(done.status(), StatusCode::FOUND);
    let back = header_text(&done, header::LOCATION);
    assert_eq!(
        back,
        "/review?kind=failed_delivery&done=bulk_discard&n=2&of=2"
    );
    assert!(page_text(&app, &cookie, &back)
        .await
        .contains("Discarded 2 of 2 items."));
    assert!(items(&app, &cookie, "failed_delivery").await.is_empty());

    // Called by the hydrated page (no text/html): the error with its status.
    let called = app
        .client
        .post(app.url(bulk))
        .header(header::COOKIE, &cookie)
        .form(&[("kind", "failed_delivery"), ("action", "snooze")])
        .send()
        .await
        .expect("send");
    assert_eq!(called.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
