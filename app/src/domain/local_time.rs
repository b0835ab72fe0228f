//! Times as owners read them: in the business's time zone, formatted on the server (the
//! browser's wasm carries no time-zone database).

use jiff::{tz::TimeZone, Timestamp};

/// "Tue 1 Dec 2026, 10:00" in `zone`.
pub fn owner_time(at: Timestamp, zone: &TimeZone) -> String {
    zone.to_datetime(at)
        .strftime("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// The zone's IANA name, as owners are told it ("Europe/Berlin"; "UTC" for UTC).
pub fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name().unwrap_or("UTC").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_times_are_wall_clock_times_of_the_business_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let winter: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-01T09:00:00Z".parse().unwrap();
        assert_eq!(owner_time(winter, &berlin), "Tue 1 Dec 2026, 10:00");
        assert_eq!(owner_time(summer, &berlin), "Wed 1 Jul 2026, 11:00");
        assert_eq!(owner_time(winter, &TimeZone::UTC), "Tue 1 Dec 2026, 09:00");
        assert_eq!(zone_name(&berlin), "Europe/Berlin");
        assert_eq!(zone_name(&TimeZone::UTC), "UTC");
    }
}
