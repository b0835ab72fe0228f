//! What the metrics read of a lead, and the shapes of their answers: ratios, the funnel, the
//! numbers of one window.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::booking::Stage;

/// What the metrics read of one lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadFacts {
    pub submission_id: String,
    pub source: String,
    pub stage: Stage,
    pub created_at: Timestamp,
    pub invited_at: Option<Timestamp>,
    /// Cal.com's creation time of the lead's first booking; `None` if never booked.
    pub first_booked_at: Option<Timestamp>,
    pub booking_end: Option<Timestamp>,
    pub reschedule_count: i32,
    /// When Cal.com's latest event about the lead's booking was sent.
    pub last_event_at: Option<Timestamp>,
}

impl LeadFacts {
    /// Whether Cal.com ever booked the lead (a creation, or a reschedule of one).
    pub fn booked(&self) -> bool {
        self.first_booked_at.is_some()
    }

    /// Whether the lead's booking ended with an outcome (completed or no-show).
    pub fn has_outcome(&self) -> bool {
        matches!(self.stage, Stage::Completed | Stage::NoShow)
    }

    /// Whether the lead's booking had a meeting to report on: not cancelled or rejected.
    pub fn meeting_expected(&self) -> bool {
        !matches!(self.stage, Stage::Cancelled | Stage::Rejected)
    }
}

/// A count and a share of it: `numerator ÷ denominator`, `None` when the denominator is 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    pub fn value(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 / self.denominator as f64)
    }
}

/// Cohort counts along the way from lead to outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub invited: i64,
    pub booked: i64,
    pub rescheduled: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub no_show: i64,
}

/// Every number for one window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub leads: i64,
    pub book_rate: Ratio,
    pub time_to_book_p50_seconds: Option<f64>,
    pub time_to_book_p90_seconds: Option<f64>,
    pub reschedule_rate: Ratio,
    pub cancellation_rate: Ratio,
    pub no_show_rate: Ratio,
    pub outcome_coverage: Ratio,
    pub funnel: Funnel,
}
