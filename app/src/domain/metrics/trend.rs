//! The weekly trend: whole weeks ending with the window's last day, each with the book rate
//! of the leads created in it and the no-show rate of the slots that ended in it. The week
//! boundaries are computed here and handed to SQL as they are, so both backends bucket by
//! exactly the same instants.

use jiff::{civil::Date, tz::TimeZone, Timestamp, ToSpan};

use crate::domain::{
    booking::Stage,
    metrics::{days::day_start, facts::LeadFacts, window::Window},
};

/// The trend covers at least this many weeks.
pub const MIN_TREND_WEEKS: i32 = 8;

/// One week's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WeekCounts {
    /// Leads created in the week…
    pub leads: i64,
    /// …of which Cal.com booked.
    pub booked: i64,
    /// Bookings whose slot ended in the week with state no-show…
    pub no_show: i64,
    /// …and with an outcome.
    pub with_outcome: i64,
}

/// The first day of each week of the trend for `window`: as many whole weeks as the window
/// spans (at least [`MIN_TREND_WEEKS`]), the last one ending on the window's last day.
pub fn trend_weeks(window: &Window) -> Vec<Date> {
    let weeks = ((window.days() + 6) / 7).max(MIN_TREND_WEEKS);
    let first = window
        .to
        .checked_sub((i64::from(weeks) * 7 - 1).days())
        .unwrap_or(window.from);
    (0..i64::from(weeks))
        .map(|week| first.checked_add((week * 7).days()).unwrap_or(first))
        .collect()
}

/// The instants in `zone` that bound the weeks starting on `weeks`: one more than there are
/// weeks, the last being the end of the week that starts last. A week with a clock change in
/// it is an hour shorter or longer, as the business's calendar has it.
pub fn week_boundaries(weeks: &[Date], zone: &TimeZone) -> Vec<Timestamp> {
    let mut bounds: Vec<Timestamp> = weeks.iter().map(|day| day_start(*day, zone)).collect();
    if let Some(last) = weeks.last() {
        bounds.push(day_start(last.checked_add(7.days()).unwrap_or(*last), zone));
    }
    bounds
}

/// Counts per week, week `i` being `bounds[i] ≤ t < bounds[i + 1]`, over the leads of
/// `source` when given.
pub fn week_counts(
    leads: &[LeadFacts],
    bounds: &[Timestamp],
    source: Option<&str>,
) -> Vec<WeekCounts> {
    let weeks = bounds.len().saturating_sub(1);
    let mut counts = vec![WeekCounts::default(); weeks];
    let week_of = |at: Timestamp| bounds.windows(2).position(|w| w[0] <= at && at < w[1]);
    for lead in leads
        .iter()
        .filter(|l| source.is_none_or(|s| l.source == s))
    {
        if let Some(week) = week_of(lead.created_at) {
            counts[week].leads += 1;
            counts[week].booked += i64::from(lead.booked());
        }
        if let Some(week) = lead.booking_end.filter(|_| lead.booked()).and_then(week_of) {
            counts[week].no_show += i64::from(lead.stage == Stage::NoShow);
            counts[week].with_outcome += i64::from(lead.has_outcome());
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_trend_ends_with_the_window_and_spans_it_in_whole_weeks() {
        let week = Window::last_days(date(2026, 12, 1), 7);
        let weeks = trend_weeks(&week);
        assert_eq!(weeks.len(), 8);
        assert_eq!(weeks.last(), Some(&date(2026, 11, 25)));
        assert_eq!(weeks.first(), Some(&date(2026, 10, 7)));

        let quarter = Window::last_days(date(2026, 12, 1), 90);
        assert_eq!(trend_weeks(&quarter).len(), 13);
        let bounds = week_boundaries(&trend_weeks(&quarter), &TimeZone::UTC);
        assert_eq!(bounds.len(), 14);
        assert_eq!(
            bounds.last(),
            Some(&quarter.period(&TimeZone::UTC).end),
            "the last week ends with the window"
        );
    }

    #[test]
    fn a_week_with_a_clock_change_is_as_long_as_the_zone_says() {
        let new_york = TimeZone::get("America/New_York").unwrap();
        // Clocks go back on 1 November 2026.
        let bounds = week_boundaries(&[date(2026, 10, 26), date(2026, 11, 2)], &new_york);
        assert_eq!(bounds[0].to_string(), "2026-10-26T04:00:00Z");
        assert_eq!(bounds[1].duration_since(bounds[0]).as_hours(), 7 * 24 + 1);
        assert_eq!(bounds[2].duration_since(bounds[1]).as_hours(), 7 * 24);
    }

    #[test]
    fn a_lead_counts_in_the_week_it_was_created_and_its_outcome_where_its_slot_ended() {
        let bounds = week_boundaries(&[date(2026, 11, 18), date(2026, 11, 25)], &TimeZone::UTC);
        let lead = LeadFacts {
            submission_id: "a".into(),
            source: "ads".into(),
            stage: Stage::NoShow,
            created_at: "2026-11-24T23:59:59Z".parse().unwrap(),
            invited_at: None,
            first_booked_at: Some("2026-11-25T08:00:00Z".parse().unwrap()),
            booking_end: Some("2026-12-01T23:59:59Z".parse().unwrap()),
            reschedule_count: 0,
            last_event_at: None,
        };
        let counts = week_counts(std::slice::from_ref(&lead), &bounds, None);
        assert_eq!(
            counts,
            [
                WeekCounts {
                    leads: 1,
                    booked: 1,
                    ..WeekCounts::default()
                },
                WeekCounts {
                    no_show: 1,
                    with_outcome: 1,
                    ..WeekCounts::default()
                },
            ]
        );
        assert_eq!(
            week_counts(&[lead], &bounds, Some("direct")),
            [WeekCounts::default(); 2]
        );
    }
}
