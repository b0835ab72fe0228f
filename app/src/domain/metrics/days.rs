//! The business's calendar as the dashboard's tallies count it: each day a number (days since
//! 1970-01-01), with the instants it starts and ends at in the business's time zone. The
//! tallies cover [`FIRST_DAY`]`..=`[`LAST_DAY`]; windows are held to those days, so nothing a
//! window can ask for falls outside them.

use jiff::{
    civil::{date, Date},
    tz::TimeZone,
    Timestamp, ToSpan,
};

pub const FIRST_DAY: Date = date(2000, 1, 1);
pub const LAST_DAY: Date = date(2099, 12, 31);

/// The first instant of `day` in `zone` (after the gap, where midnight is skipped).
pub fn day_start(day: Date, zone: &TimeZone) -> Timestamp {
    day.to_zoned(zone.clone())
        .map(|start| start.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The day's number: days since 1970-01-01 (negative before).
pub fn day_number(day: Date) -> i64 {
    date(1970, 1, 1)
        .until((jiff::Unit::Day, day))
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// One day of the calendar: its number, and `start ≤ t < end` in the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessDay {
    pub number: i64,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// Every day from [`FIRST_DAY`] to [`LAST_DAY`] in `zone`, in order; each ends where the next
/// starts.
pub fn calendar(zone: &TimeZone) -> impl Iterator<Item = BusinessDay> + '_ {
    let first = day_number(FIRST_DAY);
    let mut start = day_start(FIRST_DAY, zone);
    (first..=day_number(LAST_DAY)).map(move |number| {
        let next = FIRST_DAY
            .checked_add((number - first + 1).days())
            .unwrap_or(LAST_DAY);
        let end = day_start(next, zone);
        let day = BusinessDay { number, start, end };
        start = end;
        day
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_numbered_from_1970() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1970, 1, 2)), 1);
        assert_eq!(day_number(date(2026, 1, 1)), 20_454);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
    }

    #[test]
    fn the_calendar_is_contiguous_and_follows_the_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let days: Vec<BusinessDay> = calendar(&berlin).collect();
        let first = day_number(FIRST_DAY);
        assert_eq!(days.len() as i64, day_number(LAST_DAY) - first + 1);
        assert_eq!(days[0].number, first);
        assert!(days.windows(2).all(|pair| pair[0].end == pair[1].start));
        // 29 March 2026 has 23 hours in Berlin.
        let spring = days[(day_number(date(2026, 3, 29)) - first) as usize];
        assert_eq!(spring.start.to_string(), "2026-03-28T23:00:00Z");
        assert_eq!(spring.end.duration_since(spring.start).as_hours(), 23);
        assert_eq!(days[0].start, day_start(FIRST_DAY, &berlin));
    }
}
