//! `GET /metrics`: the counters of `app::ssr::meters`, request latency per route, and gauges
//! read at scrape time, in the Prometheus text format. Off (404) unless `METRICS_TOKEN` is set;
//! then only a request carrying it as a bearer token is answered (401 otherwise).

use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

use app::{
    error::AppError,
    ssr::{db::Db, meters, state::AppState},
};
use axum::{
    extract::{MatchedPath, Request},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use hmac::{Hmac, Mac};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

pub const PATH: &str = "/metrics";

/// Latency buckets, in seconds: from a cached read to a request near its timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process's recorder (once; later calls reuse it) and keeps its histograms
/// trimmed.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(meters::REQUEST_SECONDS.into()),
                LATENCY_BUCKETS,
            )
            .unwrap_or_else(|_| unreachable!("the bucket list is not empty"))
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics may miss counts");
        }
        let upkeep = handle.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(5));
            loop {
                every.tick().await;
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

/// Who may read the metrics: the configured token, if any.
#[derive(Clone)]
pub struct MetricsAccess {
    token: Option<SecretString>,
}

impl MetricsAccess {
    pub fn new(token: Option<SecretString>) -> Self {
        if token.is_some() {
            install();
        }
        MetricsAccess { token }
    }

    pub fn enabled(&self) -> bool {
        self.token.is_some()
    }

    /// Whether `headers` carry the token as `Authorization: Bearer …` (compared in constant
    /// time).
    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return false;
        };
        let offered = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"metrics-token")
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(token.expose_secret().as_bytes());
        let expected = mac.finalize().into_bytes();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"metrics-token")
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(offered.as_bytes());
        mac.verify_slice(&expected).is_ok()
    }
}

/// The scrape endpoint.
pub async fn scrape(app: AppState, access: MetricsAccess, headers: HeaderMap) -> Response {
    if !access.enabled() {
        return AppError::NotFound.into_response();
    }
    if !access.allows(&headers) {
        return AppError::Unauthenticated.into_response();
    }
    let spool = app.spool.status().await;
    let (open, idle) = pool_use(&app.db);
    meters::set_gauges(
        spool.entries,
        spool.bytes,
        open,
        idle,
        app.stream_slots.open(),
    );
    let body = install().render();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

fn pool_use(db: &Db) -> (u32, usize) {
    match db {
        Db::Postgres(pool) => (pool.size(), pool.num_idle()),
        Db::Sqlite(sqlite) => (
            sqlite.reader.size() + sqlite.writer.size(),
            sqlite.reader.num_idle() + sqlite.writer.num_idle(),
        ),
    }
}

/// Middleware: records each request's latency under its route pattern.
pub async fn record_latency(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |path| path.as_str().to_owned());
    // Any token is a method to hyper: only the ones we serve get a series of their own.
    let method = match *request.method() {
        Method::GET | Method::HEAD | Method::POST | Method::PUT | Method::DELETE => {
            request.method().as_str().to_owned()
        }
        _ => "other".to_owned(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    meters::request_finished(route, method, response.status().as_u16(), started.elapsed());
    response
}
