//! Reconciliation with Cal.com's bookings API against the Cal.com stand-in, on both backends:
//! the stand-in serves `GET /v2/bookings` from its own booking store and sends its webhooks to
//! the app, except those a test tells it to drop.

mod faults;
mod mismatch;
mod repair;

use std::time::Duration;

use app::ssr::{
    auth::create_or_update_owner,
    db::{on_pool, Db},
};
use axum::Router;
use calcom_standin::{config, Config, Standin};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::support::{
    app::WEBHOOK_SECRET,
    owner::{OWNER_EMAIL, OWNER_PASSWORD},
    spawn_app_with, Backend, TestApp,
};

pub const API_KEY: &str = "cal_test_standin_key";

/// The stand-in, as the test drives it.
pub struct TestStandin {
    pub url: String,
    http: reqwest::Client,
}

impl TestStandin {
    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .expect("POST to the stand-in");
        let status = response.status();
        let answer: Value = response.json().await.expect("a JSON answer");
        assert!(status.is_success(), "{path}: {status} {answer}");
        answer
    }

    /// Books the form's event for `submission_id` (none: the metadata is lost) at `start`;
    /// `drop` = its webhooks never arrive. Answers the booking's uid.
    pub async fn book(&self, submission_id: Option<&str>, start: &str, drop: bool) -> String {
        let mut body = json!({
            "name": "Ana Kovač",
            "email": "ana.kovac@example.com",
            "timeZone": "Europe/Zagreb",
            "start": start,
            "drop": drop,
        });
        match submission_id {
            Some(id) => body["metadata"] = json!({ "submissionId": id }),
            None => body["lose_metadata"] = json!(true),
        }
        let answer = self.post("/standin/api/bookings", body).await;
        answer["booking"]["uid"]
            .as_str()
            .expect("a booking uid")
            .to_owned()
    }

    /// Acts on a booking (`cancel`, `reschedule`, `no-show`…); answers the booking as it is.
    pub async fn act(&self, uid: &str, action: &str, body: Value) -> Value {
        self.post(&format!("/standin/api/bookings/{uid}/{action}"), body)
            .await
    }

    pub async fn settings(&self, update: Value) {
        self.post("/standin/api/settings", update).await;
    }
}

/// The app with reconciliation pointed at a stand-in that sends its webhooks to the app.
/// The background reconciler is far off (a day), so the test's own passes are the only ones.
pub async fn app_and_standin(backend: Backend, vars: &[(&str, &str)]) -> (TestApp, TestStandin) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let standin_url = format!("http://{}", listener.local_addr().expect("addr"));
    let api_url = format!("{standin_url}/v2");
    let mut all = vec![
        ("CAL_API_KEY", API_KEY),
        ("CAL_API_URL", api_url.as_str()),
        ("CAL_RECONCILE_MINUTES", "1440"),
        ("CAL_EVENT_TYPES", "intro"),
    ];
    all.extend_from_slice(vars);
    let app = spawn_app_with(backend, &all, Router::new()).await;
    create_or_update_owner(&app.state.db, OWNER_EMAIL, OWNER_PASSWORD.into())
        .await
        .expect("an owner");
    let config = Config {
        public_origin: standin_url.clone(),
        webhook_url: app.url("/api/webhooks/cal-com"),
        secret: WEBHOOK_SECRET.into(),
        links: config::parse_links("acme/intro").expect("links"),
        embed_js: config::DEFAULT_EMBED_JS.into(),
        settings: config::Settings::default(),
    };
    let embed_js = calcom_standin::load_embed_js(&config.embed_js).expect("embed.js installed");
    let standin = Standin::new(config, embed_js).expect("a stand-in");
    tokio::spawn(async move { axum::serve(listener, calcom_standin::web::router(standin)).await });
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client");
    (
        app,
        TestStandin {
            url: standin_url,
            http,
        },
    )
}

/// A lead's stage and booking uid as stored.
pub async fn stage_and_uid(db: &Db, submission_id: &str) -> (String, Option<String>) {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, Option<String>)>(
        "select stage, booking_uid from leads where submission_id = $1",
    )
    .bind(submission_id)
    .fetch_one(pool)
    .await)
    .expect("the lead")
}

/// The sources of a lead's logged events, in log order.
pub async fn sources(db: &Db, submission_id: &str) -> Vec<(String, String)> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, String)>(
        "select source, trigger_event from booking_events where submission_id = $1 order by id",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await)
    .expect("the lead's events")
}
