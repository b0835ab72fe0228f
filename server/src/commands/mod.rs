//! The `server` subcommands besides serving: owner accounts, the webhook spool, backups,
//! parsing stored deliveries again, reconciling with Cal.com by hand, rotating the form
//! signing key and counting the dashboard's tallies again.

pub mod backup;
pub mod owner;
pub mod rebuild_tallies;
pub mod reconcile;
pub mod replay_spool;
pub mod reprocess;
pub mod rotate_keys;

use jiff::{civil::Date, Timestamp};

/// A `--since` value: a day (`YYYY-MM-DD`, from its start in UTC) or an RFC 3339 instant.
pub(crate) fn parse_since(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<Date>()
            .ok()
            .and_then(|date| date.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|zoned| zoned.timestamp())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_day_or_an_instant() {
        assert_eq!(
            parse_since("2026-03-29"),
            Some("2026-03-29T00:00:00Z".parse().expect("a time"))
        );
        assert_eq!(
            parse_since("2026-03-29T01:30:00+02:00"),
            Some("2026-03-28T23:30:00Z".parse().expect("a time"))
        );
        assert_eq!(parse_since("last week"), None);
    }
}
