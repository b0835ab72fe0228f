//! `POST /api/webhooks/cal-com`: Cal.com's webhook deliveries. Answers 401 for a missing or
//! wrong signature (no detail), 400 for a malformed body, 413 for one that is too large, 200
//! with `{"result": "applied" | "duplicate" | "queued"}` once the outcome is committed, and 503
//! when the database cannot take it (nothing is half-written then).

use app::ssr::{
    calcom::signature::SIGNATURE_HEADER,
    state::AppState,
    webhooks::{receive, Receipt},
};
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

pub const PATH: &str = "/api/webhooks/cal-com";

pub async fn cal_com(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    match receive(&state, signature, &body, jiff::Timestamp::now()).await {
        Ok(Receipt::Applied { trigger }) => ok(json!({ "result": "applied", "trigger": trigger })),
        Ok(Receipt::Duplicate) => ok(json!({ "result": "duplicate" })),
        Ok(Receipt::Held { trigger }) => ok(json!({
            "result": "queued",
            "reason": "booking_not_known_yet",
            "trigger": trigger,
        })),
        Ok(Receipt::Queued { reason }) => ok(json!({ "result": "queued", "reason": reason })),
        Ok(Receipt::Unauthorized) => StatusCode::UNAUTHORIZED.into_response(),
        Ok(Receipt::Malformed { reason }) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "malformed", "detail": reason })),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot record a webhook delivery");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "unavailable" })),
            )
                .into_response()
        }
    }
}

fn ok(body: serde_json::Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}
