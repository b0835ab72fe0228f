//! `POST /api/webhooks/cal-com`: Cal.com's webhook deliveries. Answers 200 with
//! `{"result": "applied" | "duplicate" | "queued", …}` once the outcome is committed, or 202
//! `{"result": "spooled"}` once a verified delivery the database cannot take is on local disk;
//! errors in the one problem shape: 401 for a missing or wrong signature, 400 for a malformed
//! body, 413 for one that is too large, and 503 when neither the database nor the spool can
//! take it (nothing is half-written then).

use app::{
    error::AppError,
    ssr::{
        calcom::signature::SIGNATURE_HEADER,
        state::AppState,
        webhooks::{receive, Receipt},
    },
};
use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

pub const PATH: &str = "/api/webhooks/cal-com";

pub async fn cal_com(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        _ => AppError::BadRequest(rejection.body_text()),
    })?;
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    let answer = match receive(&state, signature, &body, jiff::Timestamp::now()).await? {
        Receipt::Applied { trigger } => json!({ "result": "applied", "trigger": trigger }),
        Receipt::Duplicate => json!({ "result": "duplicate" }),
        Receipt::Held { trigger } => json!({
            "result": "queued",
            "reason": "booking_not_known_yet",
            "trigger": trigger,
        }),
        Receipt::Queued { reason } => json!({ "result": "queued", "reason": reason }),
        // Logged like a ping: a booking of another event type, made outside the form.
        Receipt::Ignored { trigger } => json!({
            "result": "applied",
            "trigger": trigger,
            "ignored": "other_event_type",
        }),
        Receipt::Spooled => {
            let answer = json!({ "result": "spooled" });
            return Ok((StatusCode::ACCEPTED, Json(answer)).into_response());
        }
        Receipt::Unauthorized => return Err(AppError::BadSignature),
        Receipt::Malformed { reason } => return Err(AppError::Malformed(reason)),
    };
    Ok(Json(answer).into_response())
}
