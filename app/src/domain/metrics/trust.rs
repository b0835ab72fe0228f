//! Whether the webhook feed can be trusted for outcomes. Completed and no-show figures depend
//! on Cal.com's events arriving; when deliveries could not be applied, or no event has come
//! for a long time while bookings exist, those figures need a manual check, and the owner is
//! told why.

use jiff::{SignedDuration, Timestamp};

use crate::domain::metrics::facts::LeadFacts;

/// What the database says about the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedHealth {
    /// Verified deliveries that could not be applied and are not resolved yet.
    pub unresolved_failures: i64,
    /// When the latest Cal.com event was received.
    pub last_event_at: Option<Timestamp>,
    /// Whether any lead was ever booked.
    pub has_bookings: bool,
}

impl FeedHealth {
    /// The feed's health as defined: `failures` says of each queued failure whether it was
    /// resolved, `received` holds when each logged event arrived.
    pub fn of(failures: &[bool], received: &[Timestamp], leads: &[LeadFacts]) -> FeedHealth {
        FeedHealth {
            unresolved_failures: failures.iter().filter(|resolved| !**resolved).count() as i64,
            last_event_at: received.iter().copied().max(),
            has_bookings: leads.iter().any(LeadFacts::booked),
        }
    }
}

/// The verdict on outcome figures, and the reasons for it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedVerdict {
    pub needs_manual_confirm: bool,
    pub reasons: Vec<String>,
}

/// Judges `health` at `now`: no event for more than `stale_hours` while bookings exist, or any
/// unresolved failure, makes outcomes need a manual check.
pub fn assess_feed(health: &FeedHealth, now: Timestamp, stale_hours: u32) -> FeedVerdict {
    let mut reasons = Vec::new();
    if health.unresolved_failures > 0 {
        reasons.push(format!(
            "{} webhook deliveries could not be applied and are not resolved yet",
            health.unresolved_failures
        ));
    }
    let stale_after = now
        .checked_sub(SignedDuration::from_hours(i64::from(stale_hours)))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    if health.has_bookings {
        match health.last_event_at {
            None => reasons.push("bookings exist but no Cal.com event has ever arrived".into()),
            Some(at) if at < stale_after => reasons.push(format!(
                "no Cal.com event has arrived for more than {stale_hours} hours"
            )),
            Some(_) => {}
        }
    }
    FeedVerdict {
        needs_manual_confirm: !reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_quiet_feed_with_bookings_needs_a_check_and_one_without_bookings_does_not() {
        let now = at("2026-12-01T12:00:00Z");
        let quiet = FeedHealth {
            unresolved_failures: 0,
            last_event_at: Some(at("2026-11-28T12:00:00Z")),
            has_bookings: true,
        };
        let verdict = assess_feed(&quiet, now, 48);
        assert!(verdict.needs_manual_confirm);
        assert_eq!(
            verdict.reasons,
            ["no Cal.com event has arrived for more than 48 hours"]
        );
        assert_eq!(
            assess_feed(&quiet, now, 96),
            FeedVerdict {
                needs_manual_confirm: false,
                reasons: vec![]
            }
        );
        let no_bookings = FeedHealth {
            has_bookings: false,
            last_event_at: None,
            ..quiet
        };
        assert!(!assess_feed(&no_bookings, now, 48).needs_manual_confirm);
        let never = FeedHealth {
            last_event_at: None,
            ..quiet
        };
        assert_eq!(
            assess_feed(&never, now, 48).reasons,
            ["bookings exist but no Cal.com event has ever arrived"]
        );
    }

    #[test]
    fn unresolved_failures_are_counted_in_the_reason() {
        let health = FeedHealth {
            unresolved_failures: 3,
            last_event_at: None,
            has_bookings: false,
        };
        assert_eq!(
            assess_feed(&health, at("2026-12-01T12:00:00Z"), 48).reasons,
            ["3 webhook deliveries could not be applied and are not resolved yet"]
        );
        assert_eq!(
            FeedHealth::of(&[true, false, false], &[], &[]).unresolved_failures,
            2
        );
    }
}
