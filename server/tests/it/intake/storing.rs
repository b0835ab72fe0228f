//! Storing a submission: exactly one lead per submission id, its attribution and source,
//! and field messages with every typed value, for a browser without JavaScript and for the
//! hydrated app.

use super::*;

on_both_backends!(
    a_plain_form_post_stores_the_lead_and_redirects_to_its_booking_page,
    a_rejected_plain_post_shows_every_message_and_every_typed_value_escaped,
    a_replayed_submission_stores_one_lead_and_answers_the_same,
    sixteen_concurrent_posts_of_one_submission_store_one_lead,
    the_hydrated_app_gets_field_messages_as_data,
    the_booking_page_names_a_known_lead_and_404s_otherwise,
);

async fn a_plain_form_post_stores_the_lead_and_redirects_to_its_booking_page(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let ticket = show_form(
        &app,
        "/?utm_source=Newsletter&utm_medium=email&utm_campaign=spring",
        Some("https://www.example.org/blog"),
    )
    .await;
    let before = DbTime::now();
    let response = post_plain(&app, &form_body(&ticket, &person())).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = ticket.submission_id();
    assert_eq!(location(&response), format!("/book/{id}"));
    let lead = stored_lead(&app.state.db, id).await;
    assert_eq!(lead.name, "Ana Kovač");
    assert_eq!(lead.email, "ana.kovac@example.com");
    assert_eq!(lead.company, None);
    assert_eq!(lead.phone.as_deref(), Some("+385912345678"));
    assert_eq!(lead.message, "Lower back pain for two weeks");
    assert_eq!(lead.stage, "new");
    assert_eq!(lead.source, "newsletter");
    assert_eq!(lead.utm_source.as_deref(), Some("Newsletter"));
    assert_eq!(lead.utm_medium.as_deref(), Some("email"));
    assert_eq!(lead.utm_campaign.as_deref(), Some("spring"));
    assert_eq!(
        lead.referrer.as_deref(),
        Some("https://www.example.org/blog")
    );
    assert_eq!(
        lead.landing_path.as_deref(),
        Some("/?utm_source=Newsletter&utm_medium=email&utm_campaign=spring")
    );
    assert!(lead.created_at >= before && lead.created_at <= DbTime::now());
}

async fn a_rejected_plain_post_shows_every_message_and_every_typed_value_escaped(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let ticket = show_form(&app, "/", None).await;
    let typed = vec![
        ("name", "Bo <script>alert(1)</script>".to_owned()),
        ("email", "bo@\"nowhere".to_owned()),
        ("company", "Acme & Sons".to_owned()),
        ("phone", "call me".to_owned()),
        ("message", "short".to_owned()),
    ];
    let response = post_plain(&app, &form_body(&ticket, &typed)).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    for message in [
        "Enter an email address like name@example.com",
        "Use only digits, spaces, +, -, . and brackets",
        "Write at least 10 characters",
        "Tick the box so we can contact you",
    ] {
        assert!(html.contains(message), "{message} missing");
    }
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "typed markup is escaped"
    );
    assert!(html.contains("Bo &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains(r#"value="bo@&quot;nowhere""#));
    assert!(html.contains("Acme &amp; Sons"));
    assert!(html.contains(r#"value="call me""#));
    assert!(html.contains(">short</textarea>"));
    assert!(
        html.contains(&format!(r#"value="{}""#, ticket.submission_id())),
        "same submission id"
    );
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"aria-describedby="email-hint email-error""#));
    assert_eq!(lead_count(&app.state.db).await, 0);

    // Fixing the fields and sending again stores the lead under the same id.
    let fixed = form_body(&ticket, &person());
    let response = post_plain(&app, &fixed).await;
    assert_eq!(
        location(&response),
        format!("/book/{}", ticket.submission_id())
    );
    assert_eq!(lead_count(&app.state.db).await, 1);
}

async fn a_replayed_submission_stores_one_lead_and_answers_the_same(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let ticket = show_form(&app, "/", None).await;
    let body = form_body(&ticket, &person());
    let first = post_plain(&app, &body).await;
    let mut changed = person();
    changed[0].1 = "Someone Else".into();
    let second = post_plain(&app, &form_body(&ticket, &changed)).await;

    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&first), location(&second));
    assert_eq!(lead_count(&app.state.db).await, 1);
    let lead = stored_lead(&app.state.db, ticket.submission_id()).await;
    assert_eq!(
        lead.name, "Ana Kovač",
        "the first submission is the one kept"
    );
}

async fn sixteen_concurrent_posts_of_one_submission_store_one_lead(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[NO_WAIT, ("INTAKE_RATE_LIMIT_PER_HOUR", "5")],
        Default::default(),
    )
    .await;
    let ticket = show_form(&app, "/", None).await;
    let body = form_body(&ticket, &person());
    let responses = join_all((0..16).map(|_| post_plain(&app, &body))).await;

    let expected = format!("/book/{}", ticket.submission_id());
    for response in &responses {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(response), expected);
    }
    assert_eq!(lead_count(&app.state.db).await, 1);
}

async fn the_hydrated_app_gets_field_messages_as_data(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let ticket = show_form(&app, "/", None).await;
    let mut typed = person();
    typed[1].1 = "nobody".into();
    let response = app
        .client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "application/json")
        .form(&form_body(&ticket, &typed))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error["error"], "validation");
    assert_eq!(error["detail"][0]["field"], "email");
    assert_eq!(lead_count(&app.state.db).await, 0);

    let response = app
        .client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "application/json")
        .form(&form_body(&ticket, &person()))
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success() || response.status().is_redirection());
    let redirect = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(redirect, format!("/book/{}", ticket.submission_id()));
    assert_eq!(lead_count(&app.state.db).await, 1);
}

async fn the_booking_page_names_a_known_lead_and_404s_otherwise(backend: Backend) {
    let app = app_without_fill_wait(backend).await;
    let ticket = show_form(&app, "/", None).await;
    post_plain(&app, &form_body(&ticket, &person())).await;

    let known = app
        .client
        .get(app.url(&format!("/book/{}", ticket.submission_id())))
        .send()
        .await
        .expect("send");
    assert_eq!(known.status(), StatusCode::OK);
    assert!(known.text().await.expect("body").contains("Thanks, Ana"));

    for path in [
        format!("/book/{}", uuid::Uuid::new_v4()),
        "/book/not-a-uuid".to_owned(),
        "/book/%3Cscript%3E".to_owned(),
    ] {
        let response = app.client.get(app.url(&path)).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.text().await.expect("body").contains(r#"href="/""#));
    }
}

#[tokio::test]
async fn the_source_is_the_referring_site_when_there_is_no_utm_source() {
    let app = app_without_fill_wait(Backend::Sqlite).await;
    let ticket = show_form(&app, "/", Some("https://www.partner.example/links")).await;
    post_plain(&app, &form_body(&ticket, &person())).await;
    let lead = stored_lead(&app.state.db, ticket.submission_id()).await;
    assert_eq!(lead.source, "partner.example");

    let ticket = show_form(&app, "/", None).await;
    post_plain(&app, &form_body(&ticket, &person())).await;
    let lead = stored_lead(&app.state.db, ticket.submission_id()).await;
    assert_eq!(lead.source, "direct");
}
