//! The owners' leads over HTTP, on both backends: the list's filters, search and keyset
//! pages (in the business's time zone, across a clock change), one lead's timeline, the CSV
//! export read back with the `csv` crate, erasure leaving no personal data in any table, and
//! who may use any of it.

mod csv_export;
mod detail;
mod erasure;
mod guards;
mod hostile;
mod list;

use app::ssr::{
    db::{on_pool, Db, DbTime},
    store::leads::{insert_once, NewLead},
};
use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

/// A lead to store.
#[derive(Clone, Debug)]
pub struct Seed<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub company: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub message: &'a str,
    pub source: &'a str,
    pub created_at: &'a str,
}

impl Default for Seed<'_> {
    fn default() -> Self {
        Seed {
            name: "Ana Kovač",
            email: "ana.kovac@example.com",
            company: None,
            phone: None,
            message: "Lower back pain",
            source: "direct",
            created_at: "2026-09-20T09:00:00Z",
        }
    }
}

/// Stores the lead as the intake form would; answers its submission id.
pub async fn seed(db: &Db, seed: Seed<'_>) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let lead = NewLead {
        submission_id: id.clone(),
        name: seed.name.into(),
        email: seed.email.into(),
        company: seed.company.map(Into::into),
        phone: seed.phone.map(Into::into),
        message: seed.message.into(),
        source: seed.source.into(),
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
        referrer: None,
        landing_path: Some("/".into()),
        created_at: DbTime::new(seed.created_at.parse().expect("a time")),
    };
    assert!(insert_once(db, &lead).await.expect("insert"));
    id
}

/// Sets a lead's stage directly (as if its events had moved it).
pub async fn set_stage(db: &Db, submission_id: &str, stage: &str) {
    on_pool!(db.writes(), pool => sqlx::query("update leads set stage = $2 where submission_id = $1")
        .bind(submission_id)
        .bind(stage)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("update the stage");
}

/// `GET path` as the owner (`cookie`) or anonymously; the status and the JSON body.
pub async fn get_json(app: &TestApp, path: &str, cookie: Option<&str>) -> (StatusCode, Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = request.send().await.expect("send");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The submission ids of a list page's leads, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["leads"]
        .as_array()
        .expect("a list of leads")
        .iter()
        .map(|l| l["submission_id"].as_str().expect("an id").to_owned())
        .collect()
}
