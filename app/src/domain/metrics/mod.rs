//! The dashboard's numbers, defined once as pure code over a lead's facts. This is the
//! reference the database queries are tested against: for any set of leads, window and source
//! filter, SQL must answer exactly what [`compute`] answers.
//!
//! - leads: the cohort, leads created in the window;
//! - book rate: cohort leads Cal.com ever booked (a creation, or a reschedule of one) ÷ cohort;
//! - time to book: first booking − lead created, over booked cohort leads (continuous
//!   percentiles, as PostgreSQL's `percentile_cont`), in seconds;
//! - reschedule rate: cohort bookings rescheduled at least once ÷ cohort bookings;
//! - cancellation rate: cohort bookings whose state is cancelled ÷ cohort bookings;
//! - no-show rate: bookings whose slot ended in the window in state no-show ÷ those in state
//!   no-show or completed;
//! - outcome coverage: bookings whose slot ended in the window with an outcome (completed or
//!   no-show) ÷ bookings whose slot ended in the window and that were not cancelled;
//! - funnel over the cohort: invited, booked, rescheduled (at least once), and by state
//!   completed, cancelled, no-show.
//!
//! A rate whose denominator is zero is `None`, never 0 or NaN.

mod compare;
mod window;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::booking::Stage;

pub use compare::{compare, CountChange, FunnelChange, MetricsChange, RateChange, SecondsChange};
pub use window::{window_from_query, Window, WindowError};

/// What the metrics read of one lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadFacts {
    pub source: String,
    pub stage: Stage,
    pub created_at: Timestamp,
    pub invited_at: Option<Timestamp>,
    /// Cal.com's creation time of the lead's first booking; `None` if never booked.
    pub first_booked_at: Option<Timestamp>,
    pub booking_end: Option<Timestamp>,
    pub reschedule_count: i32,
}

impl LeadFacts {
    fn booked(&self) -> bool {
        self.first_booked_at.is_some()
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

/// The metrics of `window` over `leads`, only those of `source` when given.
pub fn compute(leads: &[LeadFacts], window: &Window, source: Option<&str>) -> Metrics {
    let of_source = |lead: &&LeadFacts| source.is_none_or(|s| lead.source == s);
    let cohort: Vec<&LeadFacts> = leads
        .iter()
        .filter(of_source)
        .filter(|lead| window.contains(lead.created_at))
        .collect();
    let booked: Vec<&LeadFacts> = cohort.iter().copied().filter(|l| l.booked()).collect();
    let count = |pred: &dyn Fn(&LeadFacts) -> bool, set: &[&LeadFacts]| {
        set.iter().filter(|l| pred(l)).count() as i64
    };

    let mut waits: Vec<f64> = booked
        .iter()
        .filter_map(|l| {
            l.first_booked_at
                .map(|at| at.duration_since(l.created_at).as_secs_f64())
        })
        .collect();
    waits.sort_by(f64::total_cmp);

    let ended: Vec<&LeadFacts> = leads
        .iter()
        .filter(of_source)
        .filter(|l| l.booked() && l.booking_end.is_some_and(|end| window.contains(end)))
        .collect();
    let outcome = |l: &LeadFacts| matches!(l.stage, Stage::Completed | Stage::NoShow);
    let is = |stage: Stage| move |l: &LeadFacts| l.stage == stage;

    Metrics {
        leads: cohort.len() as i64,
        book_rate: Ratio {
            numerator: booked.len() as i64,
            denominator: cohort.len() as i64,
        },
        time_to_book_p50_seconds: percentile_cont(&waits, 0.5),
        time_to_book_p90_seconds: percentile_cont(&waits, 0.9),
        reschedule_rate: Ratio {
            numerator: count(&|l| l.reschedule_count > 0, &booked),
            denominator: booked.len() as i64,
        },
        cancellation_rate: Ratio {
            numerator: count(&is(Stage::Cancelled), &booked),
            denominator: booked.len() as i64,
        },
        no_show_rate: Ratio {
            numerator: count(&is(Stage::NoShow), &ended),
            denominator: count(&outcome, &ended),
        },
        outcome_coverage: Ratio {
            numerator: count(&outcome, &ended),
            denominator: count(&|l| l.stage != Stage::Cancelled, &ended),
        },
        funnel: Funnel {
            invited: count(&|l| l.invited_at.is_some(), &cohort),
            booked: booked.len() as i64,
            rescheduled: count(&|l| l.reschedule_count > 0, &booked),
            completed: count(&is(Stage::Completed), &cohort),
            cancelled: count(&is(Stage::Cancelled), &cohort),
            no_show: count(&is(Stage::NoShow), &cohort),
        },
    }
}

/// The continuous percentile `p` (0–1) of sorted values: linear interpolation between the
/// closest ranks, as PostgreSQL's `percentile_cont`. `None` for no values.
pub fn percentile_cont(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let below = rank.floor() as usize;
    let above = rank.ceil() as usize;
    let (low, high) = (sorted[below], sorted[above.min(last)]);
    Some(low + (high - low) * (rank - below as f64))
}

#[cfg(test)]
mod tests;
