//! What operators can count: every counter the app records, named in one place, for
//! `GET /metrics` (Prometheus text, served by the server). Until the server installs a
//! recorder (it does only when `METRICS_TOKEN` is set) recording costs next to nothing.

use std::time::Duration;

/// A webhook delivery answered, by result (`applied`, `duplicate`, `queued`, `spooled`,
/// `unauthorized`, `malformed`, `unavailable`…).
pub fn webhook_delivery(result: &'static str) {
    metrics::counter!("handoff_webhook_deliveries_total", "result" => result).increment(1);
}

/// A webhook delivery refused for its signature, by reason.
pub fn webhook_refused(reason: &'static str) {
    metrics::counter!("handoff_webhook_refusals_total", "reason" => reason).increment(1);
}

/// A request stopped by a rate limit, by limit.
pub fn rate_limited(limit: &'static str) {
    metrics::counter!("handoff_rate_limit_hits_total", "limit" => limit).increment(1);
}

/// A sign-in refused for a wrong email or password.
pub fn sign_in_failed() {
    metrics::counter!("handoff_sign_in_failures_total").increment(1);
}

/// A reconciliation pass ended, by result (`ok`, `failed`).
pub fn reconcile_pass(result: &'static str) {
    metrics::counter!("handoff_reconcile_passes_total", "result" => result).increment(1);
}

/// A request waited for a database connection longer than the pool allows.
pub fn pool_timed_out() {
    metrics::counter!("handoff_db_pool_timeouts_total").increment(1);
}

/// How long a request took, by route (the matched pattern, never a concrete id), method and
/// status class.
pub fn request_finished(route: String, method: String, status: u16, took: Duration) {
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::histogram!(
        REQUEST_SECONDS,
        "route" => route,
        "method" => method,
        "status" => class,
    )
    .record(took.as_secs_f64());
}

/// The request latency histogram's name.
pub const REQUEST_SECONDS: &str = "handoff_http_request_duration_seconds";

/// Gauges read when metrics are scraped: spool depth, pool use, open live streams.
pub fn set_gauges(
    spool_entries: u64,
    spool_bytes: u64,
    pool_size: u32,
    pool_idle: usize,
    streams: usize,
) {
    metrics::gauge!("handoff_webhook_spool_entries").set(spool_entries as f64);
    metrics::gauge!("handoff_webhook_spool_bytes").set(spool_bytes as f64);
    metrics::gauge!("handoff_db_pool_connections", "state" => "open").set(f64::from(pool_size));
    metrics::gauge!("handoff_db_pool_connections", "state" => "idle").set(pool_idle as f64);
    metrics::gauge!("handoff_live_streams_open").set(streams as f64);
}
