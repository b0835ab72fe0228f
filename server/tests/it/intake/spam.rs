//! Bots are stopped quietly: the honeypot, the minimum fill time, forged tickets and the
//! per-address rate limit (which replays do not count against).

use super::*;

on_both_backends!(
    a_filled_honeypot_stores_nothing_and_answers_quietly,
    a_submission_faster_than_the_minimum_fill_time_stores_nothing,
    a_forged_ticket_stores_nothing_and_answers_quietly,
    the_rate_limit_stops_new_leads_but_not_replays,
);

async fn a_filled_honeypot_stores_nothing_and_answers_quietly(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let mut ticket = show_form(&app, "/", None).await;
    ticket
        .fields
        .insert("website".into(), "http://spam.example".into());
    let response = post_plain(&app, &form_body(&ticket, &person())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/thanks");
    assert_eq!(lead_count(&app.state.db).await, 0);
}

async fn a_submission_faster_than_the_minimum_fill_time_stores_nothing(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[("INTAKE_MIN_FILL_SECONDS", "30")],
        Default::default(),
    )
    .await;
    let ticket = show_form(&app, "/", None).await;
    let response = post_plain(&app, &form_body(&ticket, &person())).await;
    assert_eq!(location(&response), "/thanks");
    assert_eq!(lead_count(&app.state.db).await, 0);
}

async fn a_forged_ticket_stores_nothing_and_answers_quietly(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let genuine = show_form(&app, "/", None).await;
    let token = genuine.fields["token"].clone();
    let (ms, signature) = token.split_once('.').expect("token");
    let backdated = format!("{}.{signature}", ms.parse::<i64>().expect("ms") - 3_600_000);
    let other_id = uuid::Uuid::new_v4().to_string();
    for (id, token) in [
        (genuine.submission_id().to_owned(), backdated),
        (other_id, token.clone()),
        ("not-a-uuid".to_owned(), token.clone()),
        (genuine.submission_id().to_owned(), String::new()),
    ] {
        let mut forged = Ticket {
            fields: genuine.fields.clone(),
        };
        forged.fields.insert("submission_id".into(), id);
        forged.fields.insert("token".into(), token);
        let response = post_plain(&app, &form_body(&forged, &person())).await;
        assert_eq!(location(&response), "/thanks");
    }
    assert_eq!(lead_count(&app.state.db).await, 0);
}

async fn the_rate_limit_stops_new_leads_but_not_replays(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[NO_WAIT, ("INTAKE_RATE_LIMIT_PER_HOUR", "2")],
        Default::default(),
    )
    .await;
    let mut bodies = Vec::new();
    for i in 0..3 {
        let ticket = show_form(&app, "/", None).await;
        let body = form_body(&ticket, &person());
        let response = post_plain(&app, &body).await;
        let expected = if i < 2 {
            format!("/book/{}", ticket.submission_id())
        } else {
            "/thanks".to_owned()
        };
        assert_eq!(location(&response), expected, "submission {i}");
        bodies.push((ticket, body));
    }
    assert_eq!(lead_count(&app.state.db).await, 2);

    let (first_ticket, first_body) = &bodies[0];
    let replay = post_plain(&app, first_body).await;
    assert_eq!(
        location(&replay),
        format!("/book/{}", first_ticket.submission_id()),
        "a replay of a stored lead is answered as before, over the limit or not"
    );
    assert_eq!(lead_count(&app.state.db).await, 2);
}

#[tokio::test]
async fn the_default_minimum_fill_time_applies() {
    let app = spawn_app(Backend::Sqlite).await;
    let ticket = show_form(&app, "/", None).await;
    let response = post_plain(&app, &form_body(&ticket, &person())).await;
    assert_eq!(
        location(&response),
        "/thanks",
        "a 3-second minimum by default"
    );
}
