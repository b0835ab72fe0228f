//! A stand-in on port 0 sending to a tiny receiver on port 0 that records every request.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post, Json, Router,
};
use calcom_standin::{config, Config, Standin};
use serde_json::{json, Value};
use tokio::net::TcpListener;

pub const SECRET: &str = "test-secret";

/// One webhook request as the app would receive it.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn signature(&self) -> &str {
        self.headers
            .get("x-cal-signature-256")
            .expect("a signature header")
            .to_str()
            .expect("ASCII")
    }
}

#[derive(Clone, Default)]
pub struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn all(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    pub fn last(&self) -> Received {
        self.all().last().cloned().expect("a delivery")
    }

    /// Waits (up to 5 s) until `count` requests arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            let all = self.all();
            if all.len() >= count {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} deliveries, got {}", self.all().len());
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    receiver
        .got
        .lock()
        .expect("lock")
        .push(Received { headers, body });
    (StatusCode::OK, Json(json!({ "result": "applied" })))
}

pub struct TestStandin {
    pub url: String,
    pub http: reqwest::Client,
    pub receiver: Receiver,
}

pub async fn spawn() -> TestStandin {
    spawn_with(config::Settings::default()).await
}

pub async fn spawn_with(settings: config::Settings) -> TestStandin {
    let receiver = Receiver::default();
    let app = Router::new()
        .route("/api/webhooks/cal-com", post(receive))
        .with_state(receiver.clone());
    let app_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let app_addr = app_listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(app_listener, app).await });
    start(
        settings,
        format!("http://{app_addr}/api/webhooks/cal-com"),
        receiver,
    )
    .await
}

/// A stand-in whose app is not listening.
pub async fn spawn_unreachable() -> TestStandin {
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = closed.local_addr().expect("addr");
    drop(closed);
    let url = format!("http://{addr}/api/webhooks/cal-com");
    start(config::Settings::default(), url, Receiver::default()).await
}

async fn start(settings: config::Settings, webhook_url: String, receiver: Receiver) -> TestStandin {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let config = Config {
        public_origin: url.clone(),
        webhook_url,
        secret: SECRET.into(),
        links: config::parse_links("acme/intro").expect("links"),
        embed_js: config::DEFAULT_EMBED_JS.into(),
        settings,
    };
    let embed_js = calcom_standin::load_embed_js(&config.embed_js).expect("embed.js installed");
    let standin = Standin::new(config, embed_js).expect("stand-in");
    tokio::spawn(async move { axum::serve(listener, calcom_standin::web::router(standin)).await });
    TestStandin {
        url,
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        receiver,
    }
}

impl TestStandin {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let text = self.get(path).await.text().await.expect("body");
        serde_json::from_str(&text).expect("a JSON answer")
    }

    /// Waits (up to 5 s) until no delivery is still scheduled or being sent; returns the log.
    pub async fn settled_log(&self) -> Value {
        for _ in 0..100 {
            let log = self.get_json("/standin/api/deliveries").await;
            let unsettled = log["deliveries"]
                .as_array()
                .expect("a list")
                .iter()
                .any(|d| d["state"] == "scheduled" || d["state"] == "sending");
            if !unsettled {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("deliveries still unsettled after 5 s");
    }

    /// POSTs JSON and returns (status, answer).
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).expect("a JSON answer"))
    }

    /// Books for `submission_id` with `extra` options; returns the booking's uid.
    pub async fn book(&self, submission_id: &str, extra: Value) -> String {
        let mut body = json!({
            "name": "Ana Kovač",
            "email": "ana.kovac@example.com",
            "timeZone": "Europe/Zagreb",
            "metadata": { "submissionId": submission_id },
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let (status, answer) = self.post("/standin/api/bookings", body).await;
        assert_eq!(status, 200, "{answer}");
        answer["booking"]["uid"].as_str().expect("a uid").to_owned()
    }

    pub async fn act(&self, uid: &str, action: &str, body: Value) -> (u16, Value) {
        self.post(&format!("/standin/api/bookings/{uid}/{action}"), body)
            .await
    }
}
