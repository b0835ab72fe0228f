//! A booked slot as the person who booked it reads it: in their own time zone, with the zone
//! named, so "10:00" is never ambiguous.

use jiff::{tz::TimeZone, Timestamp, Zoned};

/// "Tuesday 1 December 2026, 10:00–10:30 (Europe/Ljubljana)". A slot that ends on another
/// day names both days.
pub fn describe_slot(start: Timestamp, end: Timestamp, zone_name: &str, zone: &TimeZone) -> String {
    let start: Zoned = start.to_zoned(zone.clone());
    let end: Zoned = end.to_zoned(zone.clone());
    let day = |t: &Zoned| t.strftime("%A %-d %B %Y").to_string();
    let time = |t: &Zoned| t.strftime("%H:%M").to_string();
    if start.date() == end.date() {
        format!(
            "{}, {}–{} ({zone_name})",
            day(&start),
            time(&start),
            time(&end)
        )
    } else {
        format!(
            "{}, {} – {}, {} ({zone_name})",
            day(&start),
            time(&start),
            day(&end),
            time(&end)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn a_slot_reads_in_the_attendees_zone() {
        let text = describe_slot(
            at("2026-12-01T09:00:00Z"),
            at("2026-12-01T09:30:00Z"),
            "Europe/Ljubljana",
            &zone("Europe/Ljubljana"),
        );
        assert_eq!(
            text,
            "Tuesday 1 December 2026, 10:00–10:30 (Europe/Ljubljana)"
        );
    }

    #[test]
    fn the_same_instant_reads_differently_elsewhere() {
        let text = describe_slot(
            at("2026-12-01T09:00:00Z"),
            at("2026-12-01T09:30:00Z"),
            "America/Denver",
            &zone("America/Denver"),
        );
        assert_eq!(
            text,
            "Tuesday 1 December 2026, 02:00–02:30 (America/Denver)"
        );
    }

    #[test]
    fn daylight_saving_time_is_applied_on_its_own_dates() {
        // New York is UTC-4 in summer and UTC-5 in winter.
        let ny = zone("America/New_York");
        let summer = describe_slot(
            at("2026-07-01T14:00:00Z"),
            at("2026-07-01T14:30:00Z"),
            "America/New_York",
            &ny,
        );
        let winter = describe_slot(
            at("2026-12-01T14:00:00Z"),
            at("2026-12-01T14:30:00Z"),
            "America/New_York",
            &ny,
        );
        assert!(summer.contains("10:00–10:30"), "{summer}");
        assert!(winter.contains("09:00–09:30"), "{winter}");
    }

    #[test]
    fn a_slot_across_midnight_names_both_days() {
        let text = describe_slot(
            at("2026-12-01T23:45:00Z"),
            at("2026-12-02T00:15:00Z"),
            "UTC",
            &TimeZone::UTC,
        );
        assert_eq!(
            text,
            "Tuesday 1 December 2026, 23:45 – Wednesday 2 December 2026, 00:15 (UTC)"
        );
    }
}
