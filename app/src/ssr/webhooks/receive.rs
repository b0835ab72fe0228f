//! Taking one delivery: verified before anything is read, parsed, then applied to its lead,
//! held, or recorded as a failure. When the database cannot take a verified delivery, it is
//! spooled to local disk and replayed later through [`take_verified`], the same path.

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use tokio::sync::SemaphorePermit;

use crate::{
    domain::delivery::FailureReason,
    ssr::{
        calcom::{
            parse::{parse_delivery, Delivery},
            signature::{verify, Verdict},
        },
        db::DbTime,
        error::ServerError,
        meters,
        spool::SpooledDelivery,
        state::AppState,
        store::events::EventSource,
        webhooks::{apply, failure::FailedDelivery, receipt::Receipt, recent::BodyDigest},
    },
};

/// Takes one delivery: `signature` is the `X-Cal-Signature-256` header, `body` the raw bytes,
/// read during `read_turn` (see [`super::gate::WebhookGate`]), which is given back once the signature is
/// checked. An error means neither the database nor the spool could take it; nothing of this
/// delivery was kept then. A delivery that changed a lead or the failure queue is announced
/// to open dashboards.
pub async fn receive(
    state: &AppState,
    read_turn: SemaphorePermit<'_>,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Receipt, ServerError> {
    match verify(&state.settings.webhook.secrets, signature, body) {
        Verdict::Valid => {}
        verdict => {
            let reason = if verdict == Verdict::Missing {
                FailureReason::MissingSignature
            } else {
                FailureReason::BadSignature
            };
            tracing::debug!(
                reason = reason.as_str(),
                body_bytes = body.len(),
                "webhook delivery refused"
            );
            state.refusals.record(reason, body, now);
            meters::webhook_refused(reason.as_str());
            return Ok(Receipt::Unauthorized);
        }
    }
    drop(read_turn);
    let verified_turn = state.webhook_gate.verified_turn().await;
    let taken = take_verified(state, body, now).await;
    drop(verified_turn);
    match taken {
        Err(error) if error.is_unavailable() => {
            let delivery = SpooledDelivery {
                received_at: now,
                body: body.to_vec(),
            };
            match state.spool.append(&delivery).await {
                Ok(()) => {
                    tracing::warn!(%error, "the database cannot take a delivery; spooled");
                    Ok(Receipt::Spooled)
                }
                Err(spool_error) => {
                    tracing::error!(%error, %spool_error, "a delivery can be neither stored nor spooled");
                    Err(error)
                }
            }
        }
        settled => settled,
    }
}

/// Takes a delivery whose signature was verified (live, or replayed from the spool, with the
/// time it was first received).
pub async fn take_verified(
    state: &AppState,
    body: &[u8],
    received: Timestamp,
) -> Result<Receipt, ServerError> {
    let receipt = settle(state, body, received).await?;
    if matches!(receipt, Receipt::Applied { .. } | Receipt::Queued { .. }) {
        state.changes.notify();
    }
    Ok(receipt)
}

/// Settles a verified delivery, answering a re-delivery this process saw committed without a
/// database transaction.
async fn settle(state: &AppState, body: &[u8], now: Timestamp) -> Result<Receipt, ServerError> {
    let digest: BodyDigest = Sha256::digest(body).into();
    if state.recent_deliveries.contains(&digest) {
        return Ok(Receipt::Duplicate);
    }
    let receipt = settle_in_db(state, body, &hex::encode(digest), now).await?;
    if receipt.logged_the_event() {
        state.recent_deliveries.insert(digest);
    }
    Ok(receipt)
}

async fn settle_in_db(
    state: &AppState,
    body: &[u8],
    body_sha256: &str,
    now: Timestamp,
) -> Result<Receipt, ServerError> {
    let settings = &state.settings.webhook;
    let limits = settings.failure_limits;
    let received_at = DbTime::new(now);
    let failure =
        |reason, detail| FailedDelivery::new(reason, detail, body, body_sha256, received_at);
    let origin = apply::Origin {
        key: body_sha256,
        source: EventSource::Webhook,
        raw_body: Some(body),
    };

    let delivery = match parse_delivery(body, now) {
        Ok(delivery) => delivery,
        Err(malformed) => {
            tracing::warn!(reason = %malformed, "malformed webhook delivery");
            let detail =
                format!("a signed delivery that is not a Cal.com webhook body: {malformed}");
            let _turn = state.webhook_gate.database_turn().await;
            failure(FailureReason::Malformed, detail)
                .record(&state.db, limits)
                .await?;
            return Ok(Receipt::Malformed {
                reason: malformed.to_string(),
            });
        }
    };
    match delivery {
        Delivery::Unknown { trigger } => {
            tracing::info!(%trigger, "webhook trigger not handled; queued");
            let detail = format!("Cal.com sent {trigger}, a trigger this app does not handle");
            let _turn = state.webhook_gate.database_turn().await;
            failure(FailureReason::UnknownTrigger, detail)
                .about(Some(trigger), None)
                .record(&state.db, limits)
                .await?;
            Ok(Receipt::Queued {
                reason: FailureReason::UnknownTrigger,
            })
        }
        Delivery::Ping { trigger, at } => {
            let _turn = state.webhook_gate.database_turn().await;
            Ok(apply::log_ping(state, origin, &trigger, at, received_at).await?)
        }
        Delivery::Booking(event) => {
            // Built only if the event names a submission id that matches no lead.
            let unmatched = || {
                let detail = format!(
                    "Cal.com sent {} for submission id {}, which matches no lead",
                    event.trigger,
                    event.submission_id.as_deref().unwrap_or_default()
                );
                failure(FailureReason::UnknownSubmissionId, detail)
                    .about(Some(event.trigger.clone()), event.booking_uid.clone())
            };
            let unmatched = apply::Unmatched::Hold(&unmatched);
            let turns = Some(&*state.webhook_gate);
            apply::apply_event(state, origin, &event, received_at, unmatched, turns).await
        }
    }
}
