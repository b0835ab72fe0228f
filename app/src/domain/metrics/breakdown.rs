//! The dashboard's tables: leads and outcomes per source, and the latest no-shows and
//! cancellations to follow up.

use std::cmp::{Ordering, Reverse};

use crate::domain::{
    booking::Stage,
    metrics::{facts::LeadFacts, window::Period},
};

/// One source's cohort and outcomes in a window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCounts {
    pub source: String,
    /// Leads of the source created in the window.
    pub leads: i64,
    /// Of those, leads Cal.com booked.
    pub booked: i64,
    /// Bookings of the source whose slot ended in the window with state no-show…
    pub no_show: i64,
    /// …and with an outcome (completed or no-show).
    pub with_outcome: i64,
}

/// Per source: the window's cohort and its bookings, and the outcomes of the slots that ended
/// in it. Sources with neither are left out. Most leads first, then by name.
pub fn source_counts(leads: &[LeadFacts], period: &Period) -> Vec<SourceCounts> {
    let mut rows: Vec<SourceCounts> = Vec::new();
    for lead in leads {
        let in_cohort = period.contains(lead.created_at);
        let ended = lead.booked() && lead.booking_end.is_some_and(|end| period.contains(end));
        if !in_cohort && !ended {
            continue;
        }
        let row = match rows.iter().position(|r| r.source == lead.source) {
            Some(i) => &mut rows[i],
            None => {
                rows.push(SourceCounts {
                    source: lead.source.clone(),
                    leads: 0,
                    booked: 0,
                    no_show: 0,
                    with_outcome: 0,
                });
                let last = rows.len() - 1;
                &mut rows[last]
            }
        };
        if in_cohort {
            row.leads += 1;
            row.booked += i64::from(lead.booked());
        }
        if ended {
            row.no_show += i64::from(lead.stage == Stage::NoShow);
            row.with_outcome += i64::from(lead.has_outcome());
        }
    }
    rows.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.source.cmp(&b.source)));
    rows
}

/// The latest `limit` no-shows and cancellations (of `source` when given): by Cal.com's last
/// event about them, newest first, leads without one last, ties by submission id.
pub fn recent_lost<'a>(
    leads: &'a [LeadFacts],
    source: Option<&str>,
    limit: usize,
) -> Vec<&'a LeadFacts> {
    let mut lost: Vec<&LeadFacts> = leads
        .iter()
        .filter(|l| matches!(l.stage, Stage::NoShow | Stage::Cancelled))
        .filter(|l| source.is_none_or(|s| l.source == s))
        .collect();
    lost.sort_by(|a, b| newest_first(a, b));
    lost.truncate(limit);
    lost
}

fn newest_first(a: &LeadFacts, b: &LeadFacts) -> Ordering {
    let key = |l: &LeadFacts| (l.last_event_at.is_none(), Reverse(l.last_event_at));
    key(a)
        .cmp(&key(b))
        .then_with(|| a.submission_id.cmp(&b.submission_id))
}

#[cfg(test)]
mod tests {
    use jiff::{civil::date, tz::TimeZone, Timestamp};

    use super::*;
    use crate::domain::metrics::window::Window;

    fn lead(id: &str, source: &str, created: &str) -> LeadFacts {
        LeadFacts {
            submission_id: id.into(),
            source: source.into(),
            stage: Stage::Invited,
            created_at: created.parse().unwrap(),
            invited_at: None,
            first_booked_at: None,
            booking_end: None,
            reschedule_count: 0,
            last_event_at: None,
        }
    }

    fn ended(mut l: LeadFacts, end: &str, stage: Stage) -> LeadFacts {
        l.first_booked_at = Some(l.created_at);
        l.booking_end = Some(end.parse().unwrap());
        l.stage = stage;
        l
    }

    #[test]
    fn each_source_counts_its_cohort_and_the_slots_that_ended_in_the_window() {
        let november = Window::new(date(2026, 11, 1), date(2026, 11, 30))
            .unwrap()
            .period(&TimeZone::UTC);
        let leads = [
            lead("a", "ads", "2026-11-02T10:00:00Z"),
            ended(
                lead("b", "ads", "2026-11-03T10:00:00Z"),
                "2026-11-10T10:00:00Z",
                Stage::NoShow,
            ),
            // Created before the window, its slot ended in it: an outcome, not a lead.
            ended(
                lead("c", "direct", "2026-10-20T10:00:00Z"),
                "2026-11-05T10:00:00Z",
                Stage::Completed,
            ),
            lead("d", "direct", "2026-12-02T10:00:00Z"),
        ];
        assert_eq!(
            source_counts(&leads, &november),
            vec![
                SourceCounts {
                    source: "ads".into(),
                    leads: 2,
                    booked: 1,
                    no_show: 1,
                    with_outcome: 1,
                },
                SourceCounts {
                    source: "direct".into(),
                    leads: 0,
                    booked: 0,
                    no_show: 0,
                    with_outcome: 1,
                },
            ]
        );
    }

    #[test]
    fn the_latest_losses_come_first_and_unknown_times_last() {
        let at = |t: &str| Some(t.parse::<Timestamp>().unwrap());
        let mut leads = vec![
            lead("1", "ads", "2026-11-01T00:00:00Z"),
            lead("2", "ads", "2026-11-01T00:00:00Z"),
            lead("3", "ads", "2026-11-01T00:00:00Z"),
            lead("4", "direct", "2026-11-01T00:00:00Z"),
            lead("5", "ads", "2026-11-01T00:00:00Z"),
        ];
        let stages = [
            Stage::NoShow,
            Stage::Cancelled,
            Stage::Cancelled,
            Stage::NoShow,
            Stage::Booked,
        ];
        let times = [
            at("2026-11-02T00:00:00Z"),
            None,
            at("2026-11-03T00:00:00Z"),
            at("2026-11-09T00:00:00Z"),
            at("2026-11-10T00:00:00Z"),
        ];
        for ((lead, stage), time) in leads.iter_mut().zip(stages).zip(times) {
            lead.stage = stage;
            lead.last_event_at = time;
        }
        let ids = |list: Vec<&LeadFacts>| {
            list.iter()
                .map(|l| l.submission_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(recent_lost(&leads, None, 20)), ["4", "3", "1", "2"]);
        assert_eq!(ids(recent_lost(&leads, Some("ads"), 2)), ["3", "1"]);
    }
}
