//! The control API under `/standin/api/`: bookings and their actions, the delivery log and the
//! outbox, the ping test, the settings, and seeding many bookings at once. Bodies are JSON; an empty body means
//! defaults. Deliveries that are not delayed are sent before the answer, which carries their
//! results.

use axum::{
    body::Bytes,
    extract::{Path, State},
    Json,
};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{json_body, ApiError};
use crate::{
    actions::{self, Action, ActionInput, NewBooking, SeedRequest},
    config::SettingsUpdate,
    delivery::DeliveryOptions,
    delivery_log::DeliveryRecord,
    standin::Standin,
};

#[derive(Debug, Default, Deserialize)]
pub struct CreateRequest {
    #[serde(flatten)]
    pub booking: NewBooking,
    #[serde(flatten)]
    pub delivery: DeliveryOptions,
}

#[derive(Debug, Default, Deserialize)]
pub struct ActRequest {
    #[serde(flatten)]
    pub input: ActionInput,
    #[serde(flatten)]
    pub delivery: DeliveryOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlushRequest {
    pub reverse: bool,
}

/// `GET /standin/api/bookings`: each booking with the results of its deliveries (bodies are
/// in `/standin/api/deliveries`).
pub async fn list(State(standin): State<Standin>) -> Json<Value> {
    let store = standin.store();
    let log = standin.deliveries();
    let bookings: Vec<Value> = store
        .bookings()
        .iter()
        .map(|b| {
            let mut booking = b.to_json();
            let deliveries: Vec<Value> = log
                .all()
                .iter()
                .filter(|d| d.booking_uid.as_deref() == Some(b.uid.as_str()))
                .map(|d| {
                    json!({
                        "id": d.id,
                        "trigger": d.trigger,
                        "state": d.state,
                        "signed_with_secret": d.signed_with_secret,
                        "status": d.status,
                        "error": d.error,
                    })
                })
                .collect();
            booking["deliveries"] = json!(deliveries);
            booking
        })
        .collect();
    Json(json!({ "bookings": bookings }))
}

/// `GET /standin/api/bookings/{uid}`.
pub async fn show(
    State(standin): State<Standin>,
    Path(uid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = standin.store();
    let booking = store
        .booking(&uid)
        .ok_or_else(|| ApiError::not_found(format!("no booking {uid}")))?;
    Ok(Json(json!({ "booking": booking.to_json() })))
}

/// `POST /standin/api/bookings`: `{name, email, start?, timeZone?, metadata?, link?,
/// rescheduleUid?, requiresConfirmation?, notes?, guests?}` plus delivery options.
pub async fn create(State(standin): State<Standin>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let request: CreateRequest = json_body(&body)?;
    let outcome = {
        let mut store = standin.store();
        actions::create(
            &mut store,
            &standin.config,
            request.booking,
            Timestamp::now(),
        )?
    };
    let deliveries = standin.dispatch(outcome.webhooks, &request.delivery).await;
    Ok(answer(outcome.booking.to_json(), deliveries))
}

/// `POST /standin/api/bookings/{uid}/{action}`: `{reason?, start?, flat?, force?}` plus
/// delivery options.
pub async fn act(
    State(standin): State<Standin>,
    Path((uid, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let action: Action = action.parse().map_err(|_| {
        let known: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        ApiError::not_found(format!("no action {action:?}; known: {}", known.join(", ")))
    })?;
    let request: ActRequest = json_body(&body)?;
    let outcome = {
        let mut store = standin.store();
        actions::act(
            &mut store,
            &standin.config,
            &uid,
            action,
            request.input,
            Timestamp::now(),
        )?
    };
    let deliveries = standin.dispatch(outcome.webhooks, &request.delivery).await;
    Ok(answer(outcome.booking.to_json(), deliveries))
}

fn answer(booking: Value, deliveries: Vec<DeliveryRecord>) -> Json<Value> {
    Json(json!({ "booking": booking, "deliveries": deliveries }))
}

/// `GET /standin/api/deliveries`.
pub async fn deliveries(State(standin): State<Standin>) -> Json<Value> {
    let log = standin.deliveries();
    Json(json!({ "deliveries": log.all(), "held": log.outbox.len() }))
}

/// `POST /standin/api/outbox/flush`: `{reverse?}`.
pub async fn flush(State(standin): State<Standin>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let request: FlushRequest = json_body(&body)?;
    let deliveries = standin.flush(request.reverse).await;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `POST /standin/api/ping`: delivery options.
pub async fn ping(State(standin): State<Standin>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let options: DeliveryOptions = json_body(&body)?;
    let webhook = actions::ping(&mut standin.store(), Timestamp::now());
    let deliveries = standin.dispatch(vec![webhook], &options).await;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `GET /standin/api/settings`.
pub async fn settings(State(standin): State<Standin>) -> Json<Value> {
    Json(json!(standin.store().settings))
}

/// `POST /standin/api/settings`: any of `{fail_embed_script, fail_links, webhook_delay_ms,
/// drop_webhooks, api_key, api_rate_limit, api_delay_ms, api_throttle_next}`.
pub async fn update_settings(
    State(standin): State<Standin>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let update: SettingsUpdate = json_body(&body)?;
    let mut store = standin.store();
    store.settings.apply(&update);
    tracing::info!(settings = ?store.settings, "settings changed");
    Ok(Json(json!(store.settings)))
}

/// `POST /standin/api/reset`: forget bookings, deliveries and the outbox.
pub async fn reset(State(standin): State<Standin>) -> Json<Value> {
    standin.reset();
    Json(json!({ "reset": true }))
}

/// `POST /standin/api/seed`: `{count, metadata_prefix?, link?, start?}`: `count` accepted
/// bookings in one go, without webhooks (a benchmark's 10,000 in well under a second).
pub async fn seed(State(standin): State<Standin>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let request: SeedRequest = json_body(&body)?;
    let mut store = standin.store();
    let seeded = actions::seed(&mut store, &standin.config, request, Timestamp::now())?;
    Ok(Json(
        json!({ "seeded": seeded, "bookings": store.bookings().len() }),
    ))
}
