//! How a delivery was settled; each receipt maps to one HTTP answer.

use crate::domain::delivery::FailureReason;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Written to the event log and applied (to a lead, or a ping).
    Applied { trigger: String },
    /// The same body was received before; nothing changed.
    Duplicate,
    /// Logged and held until its booking becomes known.
    Held { trigger: String },
    /// Not applicable to a lead; in the failure queue (or counted, when it is full).
    Queued { reason: FailureReason },
    /// Logged, matching no lead, of a Cal.com event type the form does not book.
    Ignored { trigger: String },
    /// Verified, but the database could not take it: on local disk, to be replayed.
    Spooled,
    /// Missing or wrong signature.
    Unauthorized,
    /// Verified, but not a webhook body.
    Malformed { reason: String },
}

impl Receipt {
    /// A short name of the outcome, for counting.
    pub fn label(&self) -> &'static str {
        match self {
            Receipt::Applied { .. } => "applied",
            Receipt::Duplicate => "duplicate",
            Receipt::Held { .. } => "held",
            Receipt::Queued { .. } => "queued",
            Receipt::Ignored { .. } => "ignored",
            Receipt::Spooled => "spooled",
            Receipt::Unauthorized => "unauthorized",
            Receipt::Malformed { .. } => "malformed",
        }
    }

    /// Whether the delivery's event row is committed, so that the same bytes again are a
    /// duplicate (an unknown trigger or a malformed body is only in the failure queue).
    pub fn logged_the_event(&self) -> bool {
        match self {
            Receipt::Applied { .. }
            | Receipt::Duplicate
            | Receipt::Held { .. }
            | Receipt::Ignored { .. } => true,
            Receipt::Queued { reason } => *reason == FailureReason::UnknownSubmissionId,
            Receipt::Spooled | Receipt::Unauthorized | Receipt::Malformed { .. } => false,
        }
    }
}
