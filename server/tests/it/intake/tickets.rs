//! Form tickets age out and their key can be rotated, and neither ever loses what a person
//! typed: an expired form comes back with a fresh ticket and every value; a form shown before
//! a rotation can still be sent for the grace period.

use std::process::Command;

use app::ssr::{
    intake::{ticket::TicketSigner, ticket_keys},
    store::signing_keys,
};
use jiff::{SignedDuration, Timestamp};

use super::*;

on_both_backends!(
    an_expired_form_comes_back_renewed_with_everything_typed,
    the_hydrated_form_gets_a_renewed_ticket_as_data,
    forms_shown_before_a_key_rotation_still_send,
);

/// A form for `app` as if it had been shown `hours_ago`.
async fn form_shown_hours_ago(app: &TestApp, hours_ago: i64) -> Ticket {
    let mut ticket = show_form(app, "/", None).await;
    let id = uuid::Uuid::parse_str(ticket.submission_id()).expect("a uuid");
    let shown = Timestamp::now() - SignedDuration::from_hours(hours_ago);
    let token = app.state.ticket_signer.issue(&id, shown);
    ticket.fields.insert("token".into(), token);
    ticket
}

async fn an_expired_form_comes_back_renewed_with_everything_typed(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let stale = form_shown_hours_ago(&app, 25).await;
    let response = post_plain(&app, &form_body(&stale, &person())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.expect("body");
    assert!(page.contains("open for a long time"), "{page}");
    for (field, value) in person() {
        if field != "consent" && !value.is_empty() {
            assert!(page.contains(&value), "{field} kept: {page}");
        }
    }
    assert_eq!(lead_count(&app.state.db).await, 0);
    assert_eq!(
        hidden_value(&page, "submission_id").as_deref(),
        Some(stale.submission_id())
    );
    let renewed = hidden_value(&page, "token").expect("a token");
    assert_ne!(renewed, stale.fields["token"]);

    // Sent again as the page now stands, it is stored at once.
    let mut again = Ticket {
        fields: stale.fields.clone(),
    };
    again.fields.insert("token".into(), renewed);
    let response = post_plain(&app, &form_body(&again, &person())).await;
    assert_eq!(
        location(&response),
        format!("/book/{}", stale.submission_id())
    );
    assert_eq!(lead_count(&app.state.db).await, 1);

    // Within the limit a form is taken as usual.
    let recent = form_shown_hours_ago(&app, 23).await;
    let response = post_plain(&app, &form_body(&recent, &person())).await;
    assert_eq!(
        location(&response),
        format!("/book/{}", recent.submission_id())
    );
}

async fn the_hydrated_form_gets_a_renewed_ticket_as_data(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[NO_WAIT, ("INTAKE_TICKET_MAX_AGE_HOURS", "2")],
        Default::default(),
    )
    .await;
    let stale = form_shown_hours_ago(&app, 3).await;
    let send = |ticket: &Ticket| {
        app.client
            .post(app.url("/api/intake"))
            .header(header::ACCEPT, "application/json")
            .form(&form_body(ticket, &person()))
            .send()
    };
    let response = send(&stale).await.expect("send");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error["error"], "form_expired");
    let renewed = error["detail"].as_str().expect("a fresh ticket").to_owned();
    assert_eq!(lead_count(&app.state.db).await, 0);

    let mut again = Ticket {
        fields: stale.fields.clone(),
    };
    again.fields.insert("token".into(), renewed);
    let response = send(&again).await.expect("send");
    assert_eq!(
        location(&response),
        format!("/book/{}", stale.submission_id())
    );
    assert_eq!(lead_count(&app.state.db).await, 1);
}

fn rotate_keys(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("rotate-keys")
        .args(args)
        .env_clear()
        .env("DATABASE_URL", &app.db().url)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("runs")
}

async fn forms_shown_before_a_key_rotation_still_send(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let shown_before = show_form(&app, "/", None).await;
    let old_key = signing_keys::get_or_create(&app.state.db, ticket_keys::TICKET_KEY_NAME)
        .await
        .expect("the key");

    let rotated = rotate_keys(&app, &[]);
    assert!(rotated.status.success(), "{rotated:?}");
    ticket_keys::refresh(&app.state)
        .await
        .expect("keys read again");
    let shown_after = show_form(&app, "/", None).await;
    assert_ne!(shown_after.fields["token"], shown_before.fields["token"]);

    // A form shown before the rotation is taken…
    let sent = post_plain(&app, &form_body(&shown_before, &person())).await;
    assert_eq!(
        location(&sent),
        format!("/book/{}", shown_before.submission_id())
    );
    // …and one shown with the old key long ago comes back renewed, never dropped as forged.
    let mut stale = show_form(&app, "/", None).await;
    let id = uuid::Uuid::parse_str(stale.submission_id()).expect("uuid");
    let long_ago = Timestamp::now() - SignedDuration::from_hours(30);
    let old_token = TicketSigner::new(old_key).issue(&id, long_ago);
    stale.fields.insert("token".into(), old_token);
    let renewed = post_plain(&app, &form_body(&stale, &person())).await;
    assert_eq!(renewed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(renewed
        .text()
        .await
        .expect("page")
        .contains("open for a long time"));

    // Rotating again so soon would drop the key of forms still open: refused unless forced.
    let again = rotate_keys(&app, &[]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("INTAKE_TICKET_MAX_AGE_HOURS"));
    assert!(rotate_keys(&app, &["--force"]).status.success());
    ticket_keys::refresh(&app.state)
        .await
        .expect("keys read again");
    // Forced: the key from before the first rotation verifies nothing any more.
    let mut dropped = show_form(&app, "/", None).await;
    let id = uuid::Uuid::parse_str(dropped.submission_id()).expect("uuid");
    let token = TicketSigner::new(old_key).issue(&id, Timestamp::now());
    dropped.fields.insert("token".into(), token);
    assert_eq!(
        location(&post_plain(&app, &form_body(&dropped, &person())).await),
        "/thanks"
    );
    let sent = post_plain(&app, &form_body(&shown_after, &person())).await;
    assert_eq!(
        location(&sent),
        format!("/book/{}", shown_after.submission_id())
    );
}
