//! Receiving Cal.com webhooks: verified before anything is read, recorded exactly once,
//! applied to the lead in Cal.com's time order, and never half-written. Anything that cannot
//! be applied goes to the bounded failure queue, or (an event for a booking not known yet) is
//! held until its booking becomes known.

mod apply;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

pub use apply::settle_held_events;

use crate::ssr::{
    calcom::{
        parse::{parse_delivery, Delivery},
        signature::{verify, Verdict},
    },
    db::DbTime,
    state::AppState,
    store::webhook_failures::{self, Failure},
};

/// Longest body prefix kept for a delivery whose signature did not verify.
pub const UNVERIFIED_BODY_KEPT: usize = 512;

/// How a delivery was settled; each maps to one HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Written to the event log and applied (to a lead, or a ping).
    Applied { trigger: String },
    /// The same body was received before; nothing changed.
    Duplicate,
    /// Logged and held until its booking becomes known.
    Held { trigger: String },
    /// Not applicable to a lead; in the failure queue (or counted, when it is full).
    Queued { reason: &'static str },
    /// Missing or wrong signature.
    Unauthorized,
    /// Verified, but not a webhook body.
    Malformed { reason: String },
}

/// Takes one delivery: `signature` is the `X-Cal-Signature-256` header, `body` the raw bytes.
/// An error means the database failed; nothing of this delivery was committed then. A
/// delivery that changed a lead or the failure queue is announced to open dashboards.
pub async fn receive(
    state: &AppState,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Receipt, sqlx::Error> {
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
) -> Result<Receipt, sqlx::Error> {
    let settings = &state.settings.webhook;
    let body_sha256 = hex::encode(Sha256::digest(body));
    let received_at = DbTime::new(now);
    let failure =
        |reason: &'static str, trigger: Option<String>, uid: Option<String>, keep: usize| {
            let kept = &body[..body.len().min(keep)];
            OwnedFailure {
                reason,
                trigger,
                booking_uid: uid,
                body: String::from_utf8_lossy(kept).into_owned(),
                body_bytes: body.len() as i64,
                body_truncated: kept.len() < body.len(),
                body_sha256: body_sha256.clone(),
                received_at,
            }
        };

    match verify(&settings.secrets, signature, body) {
        Verdict::Valid => {}
        verdict => {
            let reason = if verdict == Verdict::Missing {
                "missing_signature"
            } else {
                "bad_signature"
            };
            tracing::warn!(reason, body_bytes = body.len(), "webhook delivery refused");
            // The verdict stands whether or not the record can be written.
            if let Err(error) =
                record(state, failure(reason, None, None, UNVERIFIED_BODY_KEPT)).await
            {
                tracing::warn!(%error, "cannot record a refused webhook delivery");
            }
            return Ok(Receipt::Unauthorized);
        }
    }

    let keep = settings.failure_body_max_bytes;
    let delivery = match parse_delivery(body, now) {
        Ok(delivery) => delivery,
        Err(malformed) => {
            tracing::warn!(reason = %malformed, "malformed webhook delivery");
            record(state, failure("malformed", None, None, keep)).await?;
            return Ok(Receipt::Malformed {
                reason: malformed.to_string(),
            });
        }
    };
    match delivery {
        Delivery::Unknown { trigger } => {
            tracing::info!(%trigger, "webhook trigger not handled; queued");
            record(state, failure("unknown_trigger", Some(trigger), None, keep)).await?;
            Ok(Receipt::Queued {
                reason: "unknown_trigger",
            })
        }
        Delivery::Ping { trigger, at } => {
            apply::log_ping(state, &body_sha256, &trigger, at, received_at).await
        }
        Delivery::Booking(event) => {
            let unmatched = || {
                failure(
                    "unknown_submission_id",
                    Some(event.trigger.clone()),
                    event.booking_uid.clone(),
                    keep,
                )
            };
            apply::apply_event(state, &body_sha256, &event, received_at, &unmatched).await
        }
    }
}

/// A failure to record, owning its capped body.
pub(crate) struct OwnedFailure {
    reason: &'static str,
    trigger: Option<String>,
    booking_uid: Option<String>,
    body: String,
    body_bytes: i64,
    body_truncated: bool,
    body_sha256: String,
    received_at: DbTime,
}

impl OwnedFailure {
    pub(crate) fn as_failure(&self) -> Failure<'_> {
        Failure {
            reason: self.reason,
            trigger: self.trigger.as_deref(),
            booking_uid: self.booking_uid.as_deref(),
            body: &self.body,
            body_bytes: self.body_bytes,
            body_truncated: self.body_truncated,
            body_sha256: &self.body_sha256,
            received_at: self.received_at,
        }
    }
}

async fn record(state: &AppState, f: OwnedFailure) -> Result<(), sqlx::Error> {
    let recorded = webhook_failures::record(
        &state.db,
        &f.as_failure(),
        state.settings.webhook.failure_limits,
    )
    .await?;
    warn_if_dropped(recorded, f.reason);
    Ok(())
}

pub(crate) fn warn_if_dropped(recorded: webhook_failures::Recorded, reason: &str) {
    if recorded == webhook_failures::Recorded::Dropped {
        tracing::warn!(
            reason,
            "webhook failure queue is full; delivery counted, body dropped"
        );
    }
}
