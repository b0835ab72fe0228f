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
        meters,
        state::AppState,
        webhooks::{receive, Receipt},
    },
};
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

pub const PATH: &str = "/api/webhooks/cal-com";

pub async fn cal_com(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    let (parts, body) = request.into_parts();
    // The body is read only in a turn of the gate, so a flood cannot hold more bodies in
    // memory, or more of the server, than the gate allows.
    let read_turn = state.webhook_gate.read_turn().await;
    let limits = &state.settings.webhook;
    let read = axum::body::to_bytes(body, limits.max_body_bytes);
    let body = tokio::time::timeout(limits.body_timeout, read)
        .await
        .map_err(|_| {
            AppError::BadRequest(format!(
                "the body did not arrive within {} s",
                limits.body_timeout.as_secs()
            ))
        })?
        .map_err(|error| {
            if std::error::Error::source(&error)
                .is_some_and(|e| e.is::<http_body_util::LengthLimitError>())
            {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(format!("the body could not be read: {error}"))
            }
        })?;
    let signature = parts.headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    let now = jiff::Timestamp::now();
    let receipt = receive(&state, read_turn, signature, &body, now)
        .await
        .inspect_err(|_| meters::webhook_delivery("unavailable"))?;
    meters::webhook_delivery(receipt.label());
    let answer = match receipt {
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
