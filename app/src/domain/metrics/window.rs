//! Reporting windows: whole days of the business's time zone, both ends included, and the
//! prior period they are compared with. A window becomes instants ([`Period`]) only with a
//! zone, so no number can be computed over UTC days by accident.

use jiff::{civil::Date, tz::TimeZone, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::domain::metrics::days::{day_start, FIRST_DAY, LAST_DAY};

/// The days `from..=to` of the business's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub from: Date,
    pub to: Date,
}

/// A window resolved to instants in a time zone: `start ≤ t < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Period {
    pub fn contains(&self, at: Timestamp) -> bool {
        self.start <= at && at < self.end
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("the window ends before it starts")]
    Reversed,
    #[error("the window must be between one day and ten years long")]
    TooLong,
    #[error("{0:?} is not a date like 2026-11-24")]
    NotADate(String),
    #[error("give both from and to, or neither")]
    HalfOpen,
    #[error("the window must lie between 2000-01-01 and 2099-12-31")]
    OutOfRange,
}

impl Window {
    pub fn new(from: Date, to: Date) -> Result<Window, WindowError> {
        if to < from {
            return Err(WindowError::Reversed);
        }
        if from < FIRST_DAY || to > LAST_DAY {
            return Err(WindowError::OutOfRange);
        }
        if from
            .until(to)
            .map(|span| span.get_days())
            .unwrap_or(i32::MAX)
            > 3_660
        {
            return Err(WindowError::TooLong);
        }
        Ok(Window { from, to })
    }

    /// The last `days` days up to and including `today`.
    pub fn last_days(today: Date, days: i16) -> Window {
        let from = today
            .checked_sub((i64::from(days) - 1).days())
            .unwrap_or(today);
        Window { from, to: today }
    }

    /// How many days the window holds.
    pub fn days(&self) -> i32 {
        self.from
            .until(self.to)
            .map(|span| span.get_days() + 1)
            .unwrap_or(1)
    }

    /// The period of equal length that ends the day before this one starts.
    pub fn prior(&self) -> Window {
        let days = i64::from(self.days());
        let to = self.from.checked_sub(1.day()).unwrap_or(self.from);
        let from = to.checked_sub((days - 1).days()).unwrap_or(to);
        Window { from, to }
    }

    /// From the first instant of the first day to the first instant after the last, in `zone`.
    pub fn period(&self, zone: &TimeZone) -> Period {
        Period {
            start: day_start(self.from, zone),
            end: day_start(self.to.checked_add(1.day()).unwrap_or(self.to), zone),
        }
    }
}

/// The day it is at `now` in `zone`.
pub fn today(now: Timestamp, zone: &TimeZone) -> Date {
    zone.to_datetime(now).date()
}

/// The window a query asks for: `from` and `to` (YYYY-MM-DD, inclusive), or the last `days`
/// days up to today in `zone`, or the last 30 days.
pub fn window_from_query(
    now: Timestamp,
    zone: &TimeZone,
    from: Option<&str>,
    to: Option<&str>,
    days: Option<u16>,
) -> Result<Window, WindowError> {
    match (from, to) {
        (Some(from), Some(to)) => {
            let parse = |text: &str| {
                text.trim()
                    .parse::<Date>()
                    .map_err(|_| WindowError::NotADate(text.to_owned()))
            };
            Window::new(parse(from)?, parse(to)?)
        }
        (None, None) => {
            let days = days.unwrap_or(30);
            if !(1..=3_660).contains(&days) {
                return Err(WindowError::TooLong);
            }
            Ok(Window::last_days(today(now, zone), days as i16))
        }
        _ => Err(WindowError::HalfOpen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_prior_period_is_as_long_adjacent_and_apart() {
        for (from, to) in [
            (date(2026, 3, 1), date(2026, 3, 31)),
            (date(2026, 3, 1), date(2026, 3, 1)),
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2024, 2, 1), date(2024, 2, 29)),
            (date(2026, 10, 20), date(2026, 11, 5)),
        ] {
            let window = Window::new(from, to).unwrap();
            let prior = window.prior();
            assert_eq!(prior.days(), window.days(), "{window:?}");
            assert_eq!(prior.to.checked_add(1.day()).unwrap(), window.from);
            let utc = |w: Window| w.period(&TimeZone::UTC);
            assert_eq!(
                utc(prior).end,
                utc(window).start,
                "adjacent, not overlapping"
            );
        }
    }

    #[test]
    fn prior_periods_cross_month_ends_exactly() {
        let march = Window::new(date(2026, 3, 1), date(2026, 3, 31)).unwrap();
        assert_eq!(
            march.prior(),
            Window {
                from: date(2026, 1, 29),
                to: date(2026, 2, 28)
            }
        );
        let leap = Window::new(date(2024, 3, 1), date(2024, 3, 2)).unwrap();
        assert_eq!(
            leap.prior(),
            Window {
                from: date(2024, 2, 28),
                to: date(2024, 2, 29)
            }
        );
    }

    #[test]
    fn utc_days_are_24_hours_whatever_daylight_saving_does() {
        // Europe and the US change clocks on these dates; UTC days stay 24 hours long.
        let window = Window::new(date(2026, 3, 8), date(2026, 3, 29)).unwrap();
        let period = window.period(&TimeZone::UTC);
        assert_eq!(period.end.duration_since(period.start).as_hours(), 22 * 24);
        assert_eq!(period.start.to_string(), "2026-03-08T00:00:00Z");
        assert_eq!(window.prior().period(&TimeZone::UTC).end, period.start);
    }

    #[test]
    fn business_days_follow_the_zone_across_a_clock_change() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // Clocks go forward on 29 March 2026: that day has 23 hours in Berlin.
        let week = Window::new(date(2026, 3, 23), date(2026, 3, 29)).unwrap();
        let period = week.period(&berlin);
        assert_eq!(period.start.to_string(), "2026-03-22T23:00:00Z");
        assert_eq!(period.end.to_string(), "2026-03-29T22:00:00Z");
        assert_eq!(
            period.end.duration_since(period.start).as_hours(),
            7 * 24 - 1
        );
        assert_eq!(week.prior().period(&berlin).end, period.start);
        // Back on 25 October: 25 hours.
        let day = Window::new(date(2026, 10, 25), date(2026, 10, 25)).unwrap();
        let period = day.period(&berlin);
        assert_eq!(period.end.duration_since(period.start).as_hours(), 25);
        // The last instant of a Berlin day is in the window; midnight after it is not.
        assert!(period.contains("2026-10-25T22:59:59Z".parse().unwrap()));
        assert!(!period.contains("2026-10-25T23:00:00Z".parse().unwrap()));
    }

    #[test]
    fn midnight_skipped_by_a_clock_change_starts_the_day_after_the_gap() {
        // Santiago moves its clocks at midnight: 6 September 2026 begins at 01:00.
        let santiago = TimeZone::get("America/Santiago").unwrap();
        let start = day_start(date(2026, 9, 6), &santiago);
        assert_eq!(
            santiago.to_datetime(start).to_string(),
            "2026-09-06T01:00:00"
        );
    }

    #[test]
    fn today_is_the_business_zones_day() {
        let now: Timestamp = "2026-11-30T23:30:00Z".parse().unwrap();
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        assert_eq!(today(now, &tokyo), date(2026, 12, 1));
        assert_eq!(today(now, &TimeZone::UTC), date(2026, 11, 30));
        assert_eq!(
            window_from_query(now, &tokyo, None, None, Some(7)).unwrap(),
            Window::last_days(date(2026, 12, 1), 7)
        );
    }

    #[test]
    fn the_last_seven_days_end_today() {
        let window = Window::last_days(date(2026, 11, 24), 7);
        assert_eq!(
            window,
            Window {
                from: date(2026, 11, 18),
                to: date(2026, 11, 24)
            }
        );
        assert_eq!(window.days(), 7);
    }

    #[test]
    fn the_ends_are_inclusive_days() {
        let window = Window::new(date(2026, 11, 1), date(2026, 11, 30))
            .unwrap()
            .period(&TimeZone::UTC);
        assert!(window.contains("2026-11-30T23:59:59.999Z".parse().unwrap()));
        assert!(!window.contains("2026-12-01T00:00:00Z".parse().unwrap()));
        assert!(window.contains("2026-11-01T00:00:00Z".parse().unwrap()));
        assert!(!window.contains("2026-10-31T23:59:59Z".parse().unwrap()));
    }

    #[test]
    fn a_query_names_dates_or_a_number_of_days() {
        let now: Timestamp = "2026-11-24T15:00:00Z".parse().unwrap();
        assert_eq!(
            window_from_query(now, &TimeZone::UTC, None, None, None).unwrap(),
            Window::last_days(date(2026, 11, 24), 30)
        );
        assert_eq!(
            window_from_query(now, &TimeZone::UTC, None, None, Some(7))
                .unwrap()
                .days(),
            7
        );
        assert_eq!(
            window_from_query(
                now,
                &TimeZone::UTC,
                Some("2026-10-01"),
                Some("2026-10-31"),
                Some(7)
            )
            .unwrap(),
            Window {
                from: date(2026, 10, 1),
                to: date(2026, 10, 31)
            }
        );
        assert_eq!(
            window_from_query(
                now,
                &TimeZone::UTC,
                Some("yesterday"),
                Some("2026-10-31"),
                None
            ),
            Err(WindowError::NotADate("yesterday".into()))
        );
        assert_eq!(
            window_from_query(now, &TimeZone::UTC, Some("2026-10-01"), None, None),
            Err(WindowError::HalfOpen)
        );
        assert_eq!(
            window_from_query(now, &TimeZone::UTC, None, None, Some(0)),
            Err(WindowError::TooLong)
        );
    }

    #[test]
    fn reversed_or_endless_windows_are_refused() {
        assert_eq!(
            Window::new(date(2026, 2, 1), date(2026, 1, 1)),
            Err(WindowError::Reversed)
        );
        assert_eq!(
            Window::new(date(2000, 1, 1), date(2026, 1, 1)),
            Err(WindowError::TooLong)
        );
        assert_eq!(
            Window::new(date(1999, 12, 25), date(2000, 1, 5)),
            Err(WindowError::OutOfRange)
        );
        assert_eq!(
            Window::new(date(2099, 12, 25), date(2100, 1, 5)),
            Err(WindowError::OutOfRange)
        );
    }
}
