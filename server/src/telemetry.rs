//! Structured logs. Every request gets an id (`x-request-id`, made here when the client sent
//! none) that appears on each of its log lines and in the response. Request lines carry the
//! method, path, status and latency, never a query string or a body, so no personal data
//! reaches the logs at info level. Submission ids in paths (`/book/{id}` is a link to a lead's
//! name and email) are logged as `{id}`.

use std::time::Duration;

use axum::{http::Request, response::Response};
use tower_http::{
    classify::{ServerErrorsAsFailures, SharedClassifier},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{MakeSpan, OnResponse, TraceLayer},
};
use tracing::{Level, Span};

type HttpClassifier = SharedClassifier<ServerErrorsAsFailures>;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

/// Installs the global subscriber. Call once, first thing in `main`.
pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// The request-id layers: set one when missing, then copy it onto the response.
pub fn request_id_layers() -> (SetRequestIdLayer<MakeRequestUuid>, PropagateRequestIdLayer) {
    (
        SetRequestIdLayer::x_request_id(MakeRequestUuid),
        PropagateRequestIdLayer::x_request_id(),
    )
}

/// The trace layer: one span per request, one line per response.
pub fn trace_layer() -> TraceLayer<HttpClassifier, RequestSpan, (), LogResponse, (), (), ()> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(())
        .on_response(LogResponse)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// A span named `request` with the request id, method and path (no query).
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let request_id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::span!(
            Level::INFO,
            "request",
            request_id = %request_id,
            method = %request.method(),
            path = %logged_path(request.uri().path()),
        )
    }
}

/// The path with every id-shaped segment (a UUID) replaced by `{id}`.
pub fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.split('/').any(is_id) {
        return path.into();
    }
    path.split('/')
        .map(|segment| if is_id(segment) { "{id}" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
        .into()
}

fn is_id(segment: &str) -> bool {
    segment.len() >= 32 && uuid::Uuid::try_parse(segment).is_ok()
}

/// Logs the status and latency of each response at info (5xx at error).
#[derive(Clone, Copy, Debug)]
pub struct LogResponse;

impl<B> OnResponse<B> for LogResponse {
    fn on_response(self, response: &Response<B>, latency: Duration, _span: &Span) {
        let status = response.status().as_u16();
        let latency_ms = latency.as_secs_f64() * 1000.0;
        if response.status().is_server_error() {
            tracing::error!(status, latency_ms, "response");
        } else {
            tracing::info!(status, latency_ms, "response");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submission_ids_never_reach_the_log() {
        assert_eq!(
            logged_path("/book/0b7e3f7a-62a9-4cf5-9f0e-4d1c7c1c7a11"),
            "/book/{id}"
        );
        assert_eq!(
            logged_path("/api/leads/0B7E3F7A62A94CF59F0E4D1C7C1C7A11/erase"),
            "/api/leads/{id}/erase"
        );
        assert_eq!(logged_path("/dashboard"), "/dashboard");
        assert_eq!(logged_path("/book/not-an-id"), "/book/not-an-id");
    }
}
