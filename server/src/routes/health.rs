//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the process can take
//! what it is sent). Readiness stays 200 while the database answers *or* the webhook spool can
//! take writes: during a database outage every instance would otherwise be drained, and the
//! spool, which is there for exactly that, would never be used. The body reports both.

use std::time::Duration;

use app::ssr::state::AppState;
use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let (database, spool) = tokio::join!(database_answers(&state), state.spool.status());
    let status = match (database, spool.writable) {
        (true, _) => "ready",
        (false, true) => "degraded",
        (false, false) => "unavailable",
    };
    let code = if status == "unavailable" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let body = json!({
        "status": status,
        "database": if database { "ok" } else { "unavailable" },
        "spool": {
            "writable": spool.writable,
            "entries": spool.entries,
            "bytes": spool.bytes,
            "max_bytes": spool.max_bytes,
            "oldest_received_at": spool.oldest_received_at.map(|t| t.to_string()),
        },
    });
    (code, Json(body))
}

async fn database_answers(state: &AppState) -> bool {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check: database unavailable");
            false
        }
        Err(_) => {
            tracing::warn!("readiness check: database did not answer in time");
            false
        }
    }
}
