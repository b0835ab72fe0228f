//! The intake form over HTTP, as a browser without JavaScript and as the hydrated app send
//! it: exactly one lead per submission id, field messages with every typed value, quiet
//! answers for bots, and clear answers for hostile input.

use std::collections::HashMap;

use app::ssr::db::{on_pool, Db, DbTime};
use futures::future::join_all;
use reqwest::{header, StatusCode};

use crate::on_both_backends;
use crate::support::{spawn_app, spawn_app_with, Backend, TestApp};

/// Spam controls relaxed only where a test does not exercise them.
const NO_WAIT: (&str, &str) = ("INTAKE_MIN_FILL_SECONDS", "0");

async fn app_without_fill_wait(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[NO_WAIT], Default::default()).await
}

/// The hidden fields of a freshly shown form.
struct Ticket {
    fields: HashMap<String, String>,
}

impl Ticket {
    fn submission_id(&self) -> &str {
        &self.fields["submission_id"]
    }
}

fn hidden_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"name="{name}""#))?;
    let tag_end = html[at..].find('>')? + at;
    let tag = &html[at..tag_end];
    let value_at = tag.find(r#"value=""#)? + r#"value=""#.len();
    let value_end = tag[value_at..].find('"')? + value_at;
    Some(
        tag[value_at..value_end]
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

async fn show_form(app: &TestApp, path: &str, referer: Option<&str>) -> Ticket {
    let mut request = app.client.get(app.url(path));
    if let Some(referer) = referer {
        request = request.header(header::REFERER, referer);
    }
    let html = request
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    let names = [
        "submission_id",
        "token",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "referrer",
        "landing_path",
        "website",
    ];
    let fields = names
        .iter()
        .map(|name| {
            let value = hidden_value(&html, name).unwrap_or_else(|| panic!("{name} in {html}"));
            (name.to_string(), value)
        })
        .collect();
    Ticket { fields }
}

fn person() -> Vec<(&'static str, String)> {
    vec![
        ("name", "Ana Kovač".into()),
        ("email", "ana.kovac@example.com".into()),
        ("company", "".into()),
        ("phone", "+385 91 234 5678".into()),
        ("message", "Lower back pain for two weeks".into()),
        ("consent", "on".into()),
    ]
}

fn form_body(ticket: &Ticket, typed: &[(&str, String)]) -> Vec<(String, String)> {
    let mut body: Vec<(String, String)> = ticket.fields.clone().into_iter().collect();
    body.extend(typed.iter().map(|(k, v)| (k.to_string(), v.clone())));
    body
}

/// Posts as a browser does with JavaScript off.
async fn post_plain(app: &TestApp, body: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(app.url("/api/intake"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .form(body)
        .send()
        .await
        .expect("send")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn lead_count(db: &Db) -> i64 {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>("select count(*) from leads")
        .fetch_one(pool)
        .await)
    .expect("count")
}

#[derive(Debug, sqlx::FromRow)]
struct StoredLead {
    name: String,
    email: String,
    company: Option<String>,
    phone: Option<String>,
    message: String,
    stage: String,
    source: String,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    referrer: Option<String>,
    landing_path: Option<String>,
    created_at: DbTime,
}

async fn stored_lead(db: &Db, id: &str) -> StoredLead {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, StoredLead>(
        "select name, email, company, phone, message, stage, source, utm_source, utm_medium, \
         utm_campaign, referrer, landing_path, created_at from leads where submission_id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await)
    .expect("the lead")
}

on_both_backends!(
    a_plain_form_post_stores_the_lead_and_redirects_to_its_booking_page,
    a_rejected_plain_post_shows_every_message_and_every_typed_value_escaped,
    a_replayed_submission_stores_one_lead_and_answers_the_same,
    sixteen_concurrent_posts_of_one_submission_store_one_lead,
    a_filled_honeypot_stores_nothing_and_answers_quietly,
    a_submission_faster_than_the_minimum_fill_time_stores_nothing,
    a_forged_ticket_stores_nothing_and_answers_quietly,
    the_rate_limit_stops_new_leads_but_not_replays,
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
