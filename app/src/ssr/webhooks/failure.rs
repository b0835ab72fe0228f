//! A verified delivery that could not be applied: counted, kept in the failure queue with its
//! bytes exactly as received, and raised as a review item, all in one transaction.

use crate::{
    domain::{delivery::FailureReason, review::ItemKind},
    ssr::{
        db::{Db, DbTime, Tx},
        store::{
            review::{self as review_items, NewItem},
            webhook_failures::{self, Failure, QueueLimits, Recorded},
        },
    },
};

/// A failure to record.
#[derive(Clone, Debug)]
pub struct FailedDelivery<'a> {
    pub reason: FailureReason,
    pub trigger: Option<String>,
    pub booking_uid: Option<String>,
    /// What went wrong, in plain words, for the review queue.
    pub detail: String,
    raw_body: &'a [u8],
    body_sha256: &'a str,
    received_at: DbTime,
}

impl<'a> FailedDelivery<'a> {
    pub fn new(
        reason: FailureReason,
        detail: String,
        raw_body: &'a [u8],
        body_sha256: &'a str,
        received_at: DbTime,
    ) -> Self {
        FailedDelivery {
            reason,
            trigger: None,
            booking_uid: None,
            detail,
            raw_body,
            body_sha256,
            received_at,
        }
    }

    pub fn about(mut self, trigger: Option<String>, booking_uid: Option<String>) -> Self {
        self.trigger = trigger;
        self.booking_uid = booking_uid;
        self
    }

    /// Records the failure in a transaction of its own.
    pub async fn record(&self, db: &Db, limits: QueueLimits) -> Result<(), sqlx::Error> {
        let mut tx = db.begin().await?;
        self.record_in(&mut tx, limits).await?;
        tx.commit().await
    }

    /// Records the failure in the caller's transaction: counted, queued (unless the same body
    /// was queued before, or the queue is full) and raised for review.
    pub async fn record_in(&self, tx: &mut Tx, limits: QueueLimits) -> Result<(), sqlx::Error> {
        let failure = Failure {
            reason: self.reason,
            trigger: self.trigger.as_deref(),
            booking_uid: self.booking_uid.as_deref(),
            raw_body: self.raw_body,
            body_sha256: self.body_sha256,
            received_at: self.received_at,
        };
        match webhook_failures::record_in(tx, &failure, limits).await? {
            Recorded::Stored(id) => {
                let id = ItemKind::FailedDelivery.item_id(&id.to_string());
                let item = NewItem {
                    id: &id,
                    kind: ItemKind::FailedDelivery,
                    raised_at: self.received_at,
                    submission_id: None,
                    booking_uid: self.booking_uid.as_deref(),
                    trigger: self.trigger.as_deref(),
                    reason: &self.detail,
                    payload: None,
                };
                review_items::raise_in(tx, &item).await?;
            }
            Recorded::AlreadyQueued => {}
            Recorded::Dropped => tracing::warn!(
                reason = self.reason.as_str(),
                "webhook failure queue is full; delivery counted, body dropped"
            ),
        }
        Ok(())
    }
}
