//! The free slots an event offers: on each weekday from tomorrow (UTC), three 30-minute slots
//! at whole hours UTC, minus the ones an active booking holds. The booker page shows the first
//! nine free ones (the next three weekdays while nothing is booked), so it never runs out.

use jiff::{civil::Weekday, tz::TimeZone, Timestamp};

/// Slot starts, as UTC hours of the day.
pub const HOURS: [i8; 3] = [9, 12, 15];

/// Slots the booker page shows.
pub const PAGE_SLOTS: usize = 9;

/// How far ahead the "next free slot" looks.
const SEARCH_DAYS: usize = 250;

/// The slots of the next `days` weekdays after `now`'s UTC date, in time order, skipping `taken`.
pub fn free(now: Timestamp, days: usize, taken: &[Timestamp]) -> Vec<Timestamp> {
    let mut date = TimeZone::UTC.to_datetime(now).date();
    let mut slots = Vec::with_capacity(days * HOURS.len());
    let mut seen = 0;
    while seen < days {
        let Ok(next) = date.tomorrow() else { break };
        date = next;
        if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            continue;
        }
        seen += 1;
        for hour in HOURS {
            let start = date
                .at(hour, 0, 0, 0)
                .to_zoned(TimeZone::UTC)
                .map(|z| z.timestamp());
            if let Ok(start) = start {
                if !taken.contains(&start) {
                    slots.push(start);
                }
            }
        }
    }
    slots
}

/// The first free slot after `now` that is not `taken`.
pub fn next_free(now: Timestamp, taken: &[Timestamp]) -> Option<Timestamp> {
    free(now, SEARCH_DAYS, taken).into_iter().next()
}

/// What the booker page offers: the first [`PAGE_SLOTS`] free slots.
pub fn offered(now: Timestamp, taken: &[Timestamp]) -> Vec<Timestamp> {
    let mut slots = free(now, SEARCH_DAYS, taken);
    slots.truncate(PAGE_SLOTS);
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn a_friday_offers_monday_to_wednesday_at_whole_utc_hours() {
        let slots = offered(at("2026-10-02T16:30:00Z"), &[]);
        let expected: Vec<Timestamp> = [
            "2026-10-05T09:00:00Z",
            "2026-10-05T12:00:00Z",
            "2026-10-05T15:00:00Z",
            "2026-10-06T09:00:00Z",
            "2026-10-06T12:00:00Z",
            "2026-10-06T15:00:00Z",
            "2026-10-07T09:00:00Z",
            "2026-10-07T12:00:00Z",
            "2026-10-07T15:00:00Z",
        ]
        .into_iter()
        .map(at)
        .collect();
        assert_eq!(slots, expected);
    }

    #[test]
    fn taken_slots_are_skipped() {
        let now = at("2026-10-01T08:00:00Z");
        let taken = [at("2026-10-02T09:00:00Z"), at("2026-10-02T12:00:00Z")];
        assert_eq!(next_free(now, &taken), Some(at("2026-10-02T15:00:00Z")));
        assert_eq!(free(now, 1, &taken), vec![at("2026-10-02T15:00:00Z")]);
        let offered = offered(now, &taken);
        assert_eq!(offered.len(), PAGE_SLOTS, "later days fill in");
        assert_eq!(offered[PAGE_SLOTS - 1], at("2026-10-07T12:00:00Z"));
    }
}
