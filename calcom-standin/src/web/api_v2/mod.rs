//! Cal.com's bookings API v2 (`cal-api-version: 2024-08-13`), read from the stand-in's own
//! bookings so the app's reconciler can pull them: `GET /v2/bookings` (filters, sorting and
//! `take`/`skip` pages) and `GET /v2/bookings/{uid}`, shaped as `shared/calcom/API.md` says.
//!
//! Every answer first waits `api_delay_ms`, then answers 429 while `api_throttle_next` counts
//! down, then counts against `api_rate_limit` per key (fixed 60 s windows; headers
//! `X-RateLimit-{Limit,Remaining,Reset}-Default`, never `Retry-After`), then checks
//! `Authorization: Bearer <api_key>` (required on the list, checked on the detail only when
//! given, as Cal.com's optional guard does).

mod envelope;
mod query;
mod shape;

use std::{collections::HashMap, time::Instant};

use axum::{
    extract::{Path, Query, State},
    http::{header::AUTHORIZATION, HeaderMap, Uri},
    response::{IntoResponse, Response},
    Json,
};
use jiff::Timestamp;
use serde_json::{json, Value};

use self::envelope::{RateHeaders, V2Error};
use crate::standin::Standin;

/// Whether a route needs a key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    Required,
    Optional,
}

/// `GET /v2/bookings`.
pub async fn list(
    State(standin): State<Standin>,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    serve(&standin, &uri, &headers, Auth::Required, |standin| {
        let query = query::parse(&params).map_err(V2Error::bad_request)?;
        let store = standin.store();
        let selected = query.select(store.bookings(), Timestamp::now());
        let total = selected.len();
        let data: Vec<Value> = selected
            .into_iter()
            .skip(query.skip)
            .take(query.take)
            .map(shape::booking)
            .collect();
        let pagination = pagination(data.len(), total, query.take, query.skip);
        Ok(json!({ "status": "success", "data": data, "pagination": pagination }))
    })
    .await
}

/// `GET /v2/bookings/{uid}`.
pub async fn show(
    State(standin): State<Standin>,
    uri: Uri,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Response {
    serve(&standin, &uri, &headers, Auth::Optional, |standin| {
        let store = standin.store();
        let booking = store.booking(&uid).ok_or_else(|| {
            V2Error::not_found(format!(
                "Booking with uid={uid} was not found in the database"
            ))
        })?;
        Ok(json!({ "status": "success", "data": shape::booking(booking) }))
    })
    .await
}

/// Cal.com's offset pagination block.
fn pagination(returned: usize, total: usize, take: usize, skip: usize) -> Value {
    json!({
        "returnedItems": returned,
        "totalItems": total,
        "itemsPerPage": take,
        "remainingItems": total.saturating_sub(skip + returned),
        "currentPage": skip / take + 1,
        "totalPages": total.div_ceil(take),
        "hasNextPage": skip + take < total,
        "hasPreviousPage": skip > 0,
    })
}

/// Delay, throttle, rate limit and key check around `answer`; every outcome carries the
/// rate-limit headers.
async fn serve(
    standin: &Standin,
    uri: &Uri,
    headers: &HeaderMap,
    auth: Auth,
    answer: impl FnOnce(&Standin) -> Result<Value, V2Error>,
) -> Response {
    let delay = standin.store().settings.api_delay_ms;
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned());
    let (rate, outcome) = admit(standin, bearer.as_deref(), auth);
    let mut response = match outcome.and_then(|()| answer(standin)) {
        Ok(body) => Json(body).into_response(),
        Err(error) => {
            let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
            error.respond(path)
        }
    };
    rate.apply(response.headers_mut());
    response
}

/// The throttle switch, the rate limit and the key check, in the order Cal.com's guards run.
fn admit(
    standin: &Standin,
    bearer: Option<&str>,
    auth: Auth,
) -> (RateHeaders, Result<(), V2Error>) {
    let mut store = standin.store();
    let limit = store.settings.api_rate_limit;
    if store.settings.api_throttle_next > 0 {
        store.settings.api_throttle_next -= 1;
        let rate = RateHeaders {
            limit,
            remaining: 0,
            reset_secs: 1,
        };
        return (rate, Err(V2Error::too_many_requests()));
    }
    let verdict = store
        .rate_limiter
        .check(bearer.unwrap_or(""), limit, Instant::now());
    let rate = RateHeaders {
        limit,
        remaining: verdict.remaining,
        reset_secs: verdict.reset_secs,
    };
    if !verdict.allowed {
        return (rate, Err(V2Error::too_many_requests()));
    }
    let outcome = match bearer {
        Some(key) if key == store.settings.api_key => Ok(()),
        Some(_) => Err(V2Error::unauthorized("Invalid API Key")),
        None if auth == Auth::Optional => Ok(()),
        None => Err(V2Error::unauthorized(
            "No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers",
        )),
    };
    (rate, outcome)
}
