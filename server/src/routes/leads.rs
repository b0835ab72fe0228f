//! The owners' leads as JSON (and CSV) for a signed-in owner, from the same code as the
//! pages: `GET /api/leads` (`format=csv` for the export of the same view),
//! `GET /api/leads/{submission_id}` and `POST /api/leads/{submission_id}/erase`.

use app::{
    error::AppError,
    ssr::{
        auth::Owner,
        leads::{
            detail,
            erase::{self, Erased},
            export,
            list::{self, LeadQuery},
        },
        state::AppState,
    },
    wire::leads::{LeadPage, LeadView},
};
use axum::{
    body::{Body, Bytes},
    extract::{rejection::QueryRejection, Path, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use futures::StreamExt;
use serde::Deserialize;

pub const LIST_PATH: &str = "/api/leads";
pub const LEAD_PATH: &str = "/api/leads/{submission_id}";
pub const ERASE_PATH: &str = "/api/leads/{submission_id}/erase";

pub async fn list(
    State(app): State<AppState>,
    _owner: Owner,
    query: Result<Query<LeadQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) =
        query.map_err(|e| AppError::BadRequest(format!("the query string is malformed: {e}")))?;
    if !query.is_csv() {
        let page: LeadPage = list::page(&app, &query).await?;
        return Ok(Json(page).into_response());
    }
    let now = jiff::Timestamp::now();
    let filter = query.filter(now, &app.settings.owners.time_zone)?;
    let chunks = export::start(app.clone(), filter);
    // Fused: the compression layer polls a finished body once more, which a bare `unfold`
    // answers with a panic.
    let stream = futures::stream::unfold(chunks, |mut chunks| async move {
        chunks
            .recv()
            .await
            .map(|chunk| (chunk.map(Bytes::from), chunks))
    })
    .fuse();
    let filename = format!(
        "attachment; filename=\"leads-{}.csv\"",
        now.to_zoned(app.settings.owners.time_zone.clone()).date()
    );
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn lead(
    State(app): State<AppState>,
    _owner: Owner,
    Path(submission_id): Path<String>,
) -> Result<Json<LeadView>, AppError> {
    Ok(Json(detail::view(&app, &submission_id).await?))
}

#[derive(Debug, Default, Deserialize)]
struct EraseFields {
    confirm: Option<String>,
}

/// Erases the lead; the body (a form or JSON) must say `confirm=yes`, else 422.
pub async fn erase_lead(
    State(app): State<AppState>,
    owner: Owner,
    Path(submission_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Erased>, AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let fields: EraseFields = if body.is_empty() {
        EraseFields::default()
    } else if is_json {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::BadRequest(format!("the JSON body cannot be read: {e}")))?
    } else {
        serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("the form cannot be read: {e}")))?
    };
    let confirmed = erase::confirmed(fields.confirm.as_deref());
    Ok(Json(
        erase::erase_lead(&app, &owner, &submission_id, confirmed).await?,
    ))
}
