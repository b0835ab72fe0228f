//! The review queue and the audit trail as JSON for a signed-in owner, from the same code as
//! the pages: `GET /api/review`, `POST /api/review/{id}` (an action, form or JSON),
//! `POST /api/review/bulk` and `GET /api/audit`.

use app::{
    domain::review::{ItemKind, ReviewAction},
    error::AppError,
    ssr::{
        auth::Owner,
        review::{self, audit_trail, bulk},
        state::AppState,
    },
    wire::review::{AuditPage, BulkResult, ReviewItem, ReviewPage},
};
use axum::{
    body::Bytes,
    extract::{rejection::QueryRejection, Path, Query, State},
    http::{header, HeaderMap},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub const QUEUE_PATH: &str = "/api/review";
pub const ITEM_PATH: &str = "/api/review/{id}";
pub const BULK_PATH: &str = "/api/review/bulk";
pub const AUDIT_PATH: &str = "/api/audit";

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    kind: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| AppError::BadRequest(format!("the query string is malformed: {e}")))
}

fn kind(text: Option<&str>) -> Result<Option<ItemKind>, AppError> {
    text.filter(|k| !k.is_empty())
        .map(|k| {
            ItemKind::parse(k)
                .ok_or_else(|| AppError::BadRequest(format!("{k:?} is not a kind of item")))
        })
        .transpose()
}

pub async fn queue(
    State(app): State<AppState>,
    _owner: Owner,
    params: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<ReviewPage>, AppError> {
    let params = query(params)?;
    let kind = kind(params.kind.as_deref())?;
    Ok(Json(
        review::page(&app, kind, params.cursor.as_deref(), params.limit).await?,
    ))
}

/// An action request, from a form or a JSON body.
#[derive(Debug, Default, Deserialize)]
struct ActionFields {
    action: Option<String>,
    submission_id: Option<String>,
    reason: Option<String>,
    days: Option<serde_json::Value>,
    #[serde(default)]
    ids: Vec<String>,
    kind: Option<String>,
}

/// Reads the fields of a JSON body, or of a form (where `ids` may repeat).
fn fields(headers: &HeaderMap, body: &[u8]) -> Result<ActionFields, AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return serde_json::from_slice(body)
            .map_err(|e| AppError::BadRequest(format!("the JSON body cannot be read: {e}")));
    }
    let mut fields = ActionFields::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "action" => fields.action = Some(value),
            "submission_id" => fields.submission_id = Some(value),
            "reason" => fields.reason = Some(value),
            "days" => fields.days = Some(Value::String(value)),
            "ids" | "id" => fields.ids.extend(value.split(',').map(str::to_owned)),
            "kind" => fields.kind = Some(value),
            _ => {}
        }
    }
    Ok(fields)
}

fn action(fields: &ActionFields) -> Result<ReviewAction, AppError> {
    let days = fields.days.as_ref().map(|d| match d {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    ReviewAction::parse(
        fields.action.as_deref().unwrap_or_default(),
        fields.submission_id.as_deref(),
        fields.reason.as_deref(),
        days.as_deref(),
    )
    .map_err(|e| AppError::Unprocessable(e.to_string()))
}

pub async fn act(
    State(app): State<AppState>,
    owner: Owner,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ReviewItem>, AppError> {
    let fields = fields(&headers, &body)?;
    let action = action(&fields)?;
    Ok(Json(review::act(&app, &owner, &id, action).await?))
}

pub async fn act_in_bulk(
    State(app): State<AppState>,
    owner: Owner,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let fields = fields(&headers, &body)?;
    let action = action(&fields)?;
    let selection = match (kind(fields.kind.as_deref())?, fields.ids.is_empty()) {
        (Some(kind), true) => bulk::Selection::OpenOfKind(kind),
        (None, false) => {
            bulk::Selection::Ids(fields.ids.into_iter().filter(|i| !i.is_empty()).collect())
        }
        _ => {
            return Err(AppError::BadRequest(
                "name the items: ids, or a kind for all its open items".into(),
            ))
        }
    };
    let results: Vec<BulkResult> = bulk::act_on_each(&app, &owner, selection, &action).await?;
    let done = results.iter().filter(|r| r.status == 200).count();
    Ok(Json(json!({ "done": done, "results": results })))
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

pub async fn audit(
    State(app): State<AppState>,
    _owner: Owner,
    params: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, AppError> {
    let params = query(params)?;
    Ok(Json(
        audit_trail::page(&app, params.cursor.as_deref(), params.limit).await?,
    ))
}
