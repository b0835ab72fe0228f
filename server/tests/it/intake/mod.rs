//! The intake form over HTTP, as a browser without JavaScript and as the hydrated app send
//! it: exactly one lead per submission id, field messages with every typed value, quiet
//! answers for bots, and clear answers for hostile input. The helpers here show a form and
//! post it as a browser would.

mod hostile;
mod spam;
mod storing;
mod tickets;
mod together;

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
    let response = request.send().await.expect("send");
    let status = response.status();
    let html = response.text().await.expect("body");
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
            let value = hidden_value(&html, name)
                .unwrap_or_else(|| panic!("{name} in the {status} answer to GET {path}: {html}"));
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
