//! `GET /api/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD[&source=…]`: the dashboard's numbers as
//! JSON for a signed-in owner (spreadsheets, BI tools), from the same code as the page.

use app::{
    domain::metrics::window_from_query,
    ssr::{auth, dashboard, state::AppState},
};
use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

pub const PATH: &str = "/api/metrics";

#[derive(Debug, Deserialize)]
pub struct MetricsQuery {
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
}

fn problem(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "error": text }))).into_response()
}

pub async fn metrics(
    State(app): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<MetricsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match auth::owner_of(&app, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return problem(StatusCode::UNAUTHORIZED, "sign in to continue"),
        Err(error) => {
            tracing::error!(%error, "cannot read a session");
            return problem(StatusCode::SERVICE_UNAVAILABLE, "try again in a moment");
        }
    }
    let Ok(Query(query)) = query else {
        return problem(StatusCode::BAD_REQUEST, "the query string is malformed");
    };
    let (Some(from), Some(to)) = (query.from.as_deref(), query.to.as_deref()) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "from and to are required, as YYYY-MM-DD (UTC, inclusive)",
        );
    };
    let window = match window_from_query(jiff::Timestamp::now(), Some(from), Some(to), None) {
        Ok(window) => window,
        Err(error) => return problem(StatusCode::BAD_REQUEST, &error.to_string()),
    };
    let source = query.source.filter(|s| !s.is_empty());
    match dashboard::numbers(&app, &window, source.as_deref()).await {
        Ok(numbers) => Json(json!({
            "window": window,
            "prior": window.prior(),
            "source": source,
            "metrics": numbers.metrics,
            "sources": numbers.sources,
            "data_trust": numbers.data_trust,
        }))
        .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot compute metrics");
            problem(StatusCode::SERVICE_UNAVAILABLE, "try again in a moment")
        }
    }
}
