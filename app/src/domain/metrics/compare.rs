//! A window's numbers beside the prior period's: counts with their absolute and relative
//! change, rates with their change in percentage points. This is the shape of
//! `GET /api/metrics` and of the dashboard's tiles.

use serde::{Deserialize, Serialize};

use super::facts::{Funnel, Metrics, Ratio};

/// A count now and before.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountChange {
    pub current: i64,
    pub prior: i64,
    pub delta: i64,
    /// `None` when the prior count is 0.
    pub delta_pct: Option<f64>,
}

impl CountChange {
    pub fn new(current: i64, prior: i64) -> Self {
        CountChange {
            current,
            prior,
            delta: current - prior,
            delta_pct: (prior != 0).then(|| (current - prior) as f64 / prior as f64 * 100.0),
        }
    }
}

/// A rate (a fraction, 0–1) now and before; `None` where its denominator is 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateChange {
    pub current: Option<f64>,
    pub prior: Option<f64>,
    /// Percentage points; `None` unless both rates exist.
    pub delta_pp: Option<f64>,
    pub current_ratio: Ratio,
    pub prior_ratio: Ratio,
}

impl RateChange {
    pub fn new(current: Ratio, prior: Ratio) -> Self {
        let (now, before) = (current.value(), prior.value());
        RateChange {
            current: now,
            prior: before,
            delta_pp: now.zip(before).map(|(a, b)| (a - b) * 100.0),
            current_ratio: current,
            prior_ratio: prior,
        }
    }
}

/// A duration in seconds now and before.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondsChange {
    pub current: Option<f64>,
    pub prior: Option<f64>,
    pub delta: Option<f64>,
}

impl SecondsChange {
    pub fn new(current: Option<f64>, prior: Option<f64>) -> Self {
        SecondsChange {
            current,
            prior,
            delta: current.zip(prior).map(|(a, b)| a - b),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelChange {
    pub invited: CountChange,
    pub booked: CountChange,
    pub rescheduled: CountChange,
    pub completed: CountChange,
    pub cancelled: CountChange,
    pub no_show: CountChange,
}

/// Every number of a window beside the prior period's.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsChange {
    pub leads: CountChange,
    pub book_rate: RateChange,
    pub time_to_book_p50_seconds: SecondsChange,
    pub time_to_book_p90_seconds: SecondsChange,
    pub reschedule_rate: RateChange,
    pub cancellation_rate: RateChange,
    pub no_show_rate: RateChange,
    pub outcome_coverage: RateChange,
    pub funnel: FunnelChange,
}

pub fn compare(current: &Metrics, prior: &Metrics) -> MetricsChange {
    let funnel = |f: fn(&Funnel) -> i64| CountChange::new(f(&current.funnel), f(&prior.funnel));
    MetricsChange {
        leads: CountChange::new(current.leads, prior.leads),
        book_rate: RateChange::new(current.book_rate, prior.book_rate),
        time_to_book_p50_seconds: SecondsChange::new(
            current.time_to_book_p50_seconds,
            prior.time_to_book_p50_seconds,
        ),
        time_to_book_p90_seconds: SecondsChange::new(
            current.time_to_book_p90_seconds,
            prior.time_to_book_p90_seconds,
        ),
        reschedule_rate: RateChange::new(current.reschedule_rate, prior.reschedule_rate),
        cancellation_rate: RateChange::new(current.cancellation_rate, prior.cancellation_rate),
        no_show_rate: RateChange::new(current.no_show_rate, prior.no_show_rate),
        outcome_coverage: RateChange::new(current.outcome_coverage, prior.outcome_coverage),
        funnel: FunnelChange {
            invited: funnel(|f| f.invited),
            booked: funnel(|f| f.booked),
            rescheduled: funnel(|f| f.rescheduled),
            completed: funnel(|f| f.completed),
            cancelled: funnel(|f| f.cancelled),
            no_show: funnel(|f| f.no_show),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_change_absolutely_and_relatively() {
        let change = CountChange::new(15, 10);
        assert_eq!((change.delta, change.delta_pct), (5, Some(50.0)));
        assert_eq!(CountChange::new(3, 0).delta_pct, None);
        assert_eq!(CountChange::new(0, 4).delta_pct, Some(-100.0));
    }

    #[test]
    fn rates_change_in_percentage_points() {
        let change = RateChange::new(
            Ratio {
                numerator: 1,
                denominator: 2,
            },
            Ratio {
                numerator: 1,
                denominator: 4,
            },
        );
        assert_eq!(change.current, Some(0.5));
        assert_eq!(change.delta_pp, Some(25.0));
        let undefined = RateChange::new(
            Ratio {
                numerator: 0,
                denominator: 0,
            },
            Ratio {
                numerator: 1,
                denominator: 4,
            },
        );
        assert_eq!((undefined.current, undefined.delta_pp), (None, None));
    }
}
