//! `GET /api/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD[&source=…]`: the dashboard's numbers as
//! JSON for a signed-in owner (spreadsheets, BI tools), from the same code as the page.

use app::{
    domain::metrics::window_from_query,
    error::AppError,
    ssr::{auth::Owner, dashboard, state::AppState},
};
use axum::{
    extract::{rejection::QueryRejection, Query, State},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub const PATH: &str = "/api/metrics";

#[derive(Debug, Deserialize)]
pub struct MetricsQuery {
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
}

pub async fn metrics(
    State(app): State<AppState>,
    _owner: Owner,
    query: Result<Query<MetricsQuery>, QueryRejection>,
) -> Result<Json<Value>, AppError> {
    let Query(query) =
        query.map_err(|_| AppError::BadRequest("the query string is malformed".into()))?;
    let (Some(from), Some(to)) = (query.from.as_deref(), query.to.as_deref()) else {
        return Err(AppError::BadRequest(
            "from and to are required, as YYYY-MM-DD (days of the business's time zone, inclusive)"
                .into(),
        ));
    };
    let zone = &app.settings.owners.time_zone;
    let window = window_from_query(jiff::Timestamp::now(), zone, Some(from), Some(to), None)
        .map_err(|error| AppError::BadRequest(error.to_string()))?;
    let source = query.source.filter(|s| !s.is_empty());
    let numbers = dashboard::numbers(&app, window, source.clone()).await?;
    Ok(Json(json!({
        "window": window,
        "prior": window.prior(),
        "source": source,
        "metrics": numbers.metrics,
        "sources": numbers.sources,
        "data_trust": numbers.data_trust,
    })))
}
