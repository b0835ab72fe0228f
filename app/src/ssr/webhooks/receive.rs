//! Taking one delivery: verified before anything is read, parsed, then applied to its lead,
//! held, or recorded as a failure.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::{
    domain::delivery::FailureReason,
    ssr::{
        calcom::{
            parse::{parse_delivery, Delivery},
            signature::{verify, Verdict},
        },
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::events::EventSource,
        webhooks::{apply, failure::FailedDelivery, receipt::Receipt},
    },
};

/// Takes one delivery: `signature` is the `X-Cal-Signature-256` header, `body` the raw bytes.
/// An error means the database failed; nothing of this delivery was committed then. A
/// delivery that changed a lead or the failure queue is announced to open dashboards.
pub async fn receive(
    state: &AppState,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Receipt, ServerError> {
    let receipt = settle(state, signature, body, now).await?;
    if matches!(receipt, Receipt::Applied { .. } | Receipt::Queued { .. }) {
        state.changes.notify();
    }
    Ok(receipt)
}

async fn settle(
    state: &AppState,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Receipt, ServerError> {
    let settings = &state.settings.webhook;
    let limits = settings.failure_limits;
    let body_sha256 = hex::encode(Sha256::digest(body));
    let received_at = DbTime::new(now);
    let failure =
        |reason, detail| FailedDelivery::new(reason, detail, body, &body_sha256, received_at);

    match verify(&settings.secrets, signature, body) {
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
            return Ok(Receipt::Unauthorized);
        }
    }

    let delivery = match parse_delivery(body, now) {
        Ok(delivery) => delivery,
        Err(malformed) => {
            tracing::warn!(reason = %malformed, "malformed webhook delivery");
            let detail =
                format!("a signed delivery that is not a Cal.com webhook body: {malformed}");
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
            failure(FailureReason::UnknownTrigger, detail)
                .about(Some(trigger), None)
                .record(&state.db, limits)
                .await?;
            Ok(Receipt::Queued {
                reason: FailureReason::UnknownTrigger,
            })
        }
        Delivery::Ping { trigger, at } => {
            Ok(apply::log_ping(state, &body_sha256, &trigger, at, received_at).await?)
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
            let key = (body_sha256.as_str(), EventSource::Webhook);
            let unmatched = apply::Unmatched::Hold(&unmatched);
            apply::apply_event(state, key, &event, received_at, unmatched).await
        }
    }
}
