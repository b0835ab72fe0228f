//! Reporting windows: whole UTC days, both ends included, and the prior period they are
//! compared with.

use jiff::{civil::Date, tz::TimeZone, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// The days `from..=to` (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: Date,
    pub to: Date,
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
}

impl Window {
    pub fn new(from: Date, to: Date) -> Result<Window, WindowError> {
        if to < from {
            return Err(WindowError::Reversed);
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

    /// The first instant of the window (inclusive).
    pub fn start(&self) -> Timestamp {
        midnight_utc(self.from)
    }

    /// The first instant after the window (exclusive).
    pub fn end(&self) -> Timestamp {
        midnight_utc(self.to.checked_add(1.day()).unwrap_or(self.to))
    }

    pub fn contains(&self, at: Timestamp) -> bool {
        self.start() <= at && at < self.end()
    }
}

/// The window a query asks for: `from` and `to` (YYYY-MM-DD, UTC, inclusive), or the last
/// `days` days up to today, or the last 30 days.
pub fn window_from_query(
    now: Timestamp,
    from: Option<&str>,
    to: Option<&str>,
    days: Option<u16>,
) -> Result<Window, WindowError> {
    let today = TimeZone::UTC.to_datetime(now).date();
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
            Ok(Window::last_days(today, days as i16))
        }
        _ => Err(WindowError::HalfOpen),
    }
}

/// The first instant of `day`.
pub fn day_start(day: Date) -> Timestamp {
    midnight_utc(day)
}

fn midnight_utc(day: Date) -> Timestamp {
    TimeZone::UTC
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::UNIX_EPOCH)
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
            assert_eq!(prior.end(), window.start(), "adjacent, not overlapping");
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
    fn windows_are_whole_utc_days_whatever_daylight_saving_does() {
        // Europe and the US change clocks on these dates; UTC days stay 24 hours long.
        let window = Window::new(date(2026, 3, 8), date(2026, 3, 29)).unwrap();
        let hours = window.end().duration_since(window.start()).as_hours();
        assert_eq!(hours, 22 * 24);
        assert_eq!(window.start().to_string(), "2026-03-08T00:00:00Z");
        assert_eq!(window.prior().end(), window.start());
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
        let window = Window::new(date(2026, 11, 1), date(2026, 11, 30)).unwrap();
        assert!(window.contains("2026-11-30T23:59:59.999Z".parse().unwrap()));
        assert!(!window.contains("2026-12-01T00:00:00Z".parse().unwrap()));
        assert!(window.contains("2026-11-01T00:00:00Z".parse().unwrap()));
        assert!(!window.contains("2026-10-31T23:59:59Z".parse().unwrap()));
    }

    #[test]
    fn a_query_names_dates_or_a_number_of_days() {
        let now: Timestamp = "2026-11-24T15:00:00Z".parse().unwrap();
        assert_eq!(
            window_from_query(now, None, None, None).unwrap(),
            Window::last_days(date(2026, 11, 24), 30)
        );
        assert_eq!(
            window_from_query(now, None, None, Some(7)).unwrap().days(),
            7
        );
        assert_eq!(
            window_from_query(now, Some("2026-10-01"), Some("2026-10-31"), Some(7)).unwrap(),
            Window {
                from: date(2026, 10, 1),
                to: date(2026, 10, 31)
            }
        );
        assert_eq!(
            window_from_query(now, Some("yesterday"), Some("2026-10-31"), None),
            Err(WindowError::NotADate("yesterday".into()))
        );
        assert_eq!(
            window_from_query(now, Some("2026-10-01"), None, None),
            Err(WindowError::HalfOpen)
        );
        assert_eq!(
            window_from_query(now, None, None, Some(0)),
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
    }
}
