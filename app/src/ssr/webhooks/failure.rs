//! A delivery that could not be applied, as the failure queue keeps it: its reason, what it
//! was about, and its body capped to what the queue stores.

use crate::{
    domain::delivery::FailureReason,
    ssr::{
        db::{Db, DbTime, Tx},
        store::webhook_failures::{self, Failure, QueueLimits, Recorded},
    },
};

/// Longest body prefix kept for a delivery whose signature did not verify.
pub const UNVERIFIED_BODY_KEPT: usize = 512;

/// A failure to record, owning its capped body.
#[derive(Clone, Debug)]
pub struct FailedDelivery {
    pub reason: FailureReason,
    pub trigger: Option<String>,
    pub booking_uid: Option<String>,
    body: String,
    body_bytes: i64,
    body_truncated: bool,
    body_sha256: String,
    received_at: DbTime,
}

impl FailedDelivery {
    /// `body` as delivered, of which at most `keep` bytes are stored.
    pub fn new(
        reason: FailureReason,
        body: &[u8],
        body_sha256: &str,
        keep: usize,
        received_at: DbTime,
    ) -> Self {
        let kept = &body[..body.len().min(keep)];
        FailedDelivery {
            reason,
            trigger: None,
            booking_uid: None,
            body: String::from_utf8_lossy(kept).into_owned(),
            body_bytes: i64::try_from(body.len()).unwrap_or(i64::MAX),
            body_truncated: kept.len() < body.len(),
            body_sha256: body_sha256.to_owned(),
            received_at,
        }
    }

    pub fn about(mut self, trigger: Option<String>, booking_uid: Option<String>) -> Self {
        self.trigger = trigger;
        self.booking_uid = booking_uid;
        self
    }

    fn as_failure(&self) -> Failure<'_> {
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

    /// Records the failure in a transaction of its own.
    pub async fn record(&self, db: &Db, limits: QueueLimits) -> Result<(), sqlx::Error> {
        let recorded = webhook_failures::record(db, &self.as_failure(), limits).await?;
        self.warn_if_dropped(recorded);
        Ok(())
    }

    /// Records the failure in the caller's transaction.
    pub async fn record_in(&self, tx: &mut Tx, limits: QueueLimits) -> Result<(), sqlx::Error> {
        let recorded = webhook_failures::record_in(tx, &self.as_failure(), limits).await?;
        self.warn_if_dropped(recorded);
        Ok(())
    }

    fn warn_if_dropped(&self, recorded: Recorded) {
        if recorded == Recorded::Dropped {
            tracing::warn!(
                reason = self.reason.as_str(),
                "webhook failure queue is full; delivery counted, body dropped"
            );
        }
    }
}
