//! The dashboard's numbers for one window, as pure code over the leads' facts: the reference
//! every SQL query is tested against.

use crate::domain::{
    booking::Stage,
    metrics::{
        facts::{Funnel, LeadFacts, Metrics, Ratio},
        window::Period,
    },
};

/// The metrics of the window `period` over `leads`, only those of `source` when given.
pub fn compute(leads: &[LeadFacts], period: &Period, source: Option<&str>) -> Metrics {
    let of_source = |lead: &&LeadFacts| source.is_none_or(|s| lead.source == s);
    let cohort: Vec<&LeadFacts> = leads
        .iter()
        .filter(of_source)
        .filter(|lead| period.contains(lead.created_at))
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
        .filter(|l| l.booked() && l.booking_end.is_some_and(|end| period.contains(end)))
        .collect();
    let outcome = |l: &LeadFacts| l.has_outcome();
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
            denominator: count(&|l| l.meeting_expected(), &ended),
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
