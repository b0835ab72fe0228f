//! Whether the webhook feed can be trusted for outcomes. Completed and no-show figures depend
//! on Cal.com's events arriving; when deliveries could not be applied, or no event has come
//! for a long time while bookings exist, those figures need a manual check, and the owner is
//! told why.

use jiff::{SignedDuration, Timestamp};

use crate::domain::{metrics::facts::LeadFacts, review::ItemKind};

/// What the database says about the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedHealth {
    /// Open review items: verified deliveries that could not be applied…
    pub open_failures: i64,
    /// …events held past their wait for a booking that never came…
    pub open_held: i64,
    /// …and bookings whose slot ended long ago with no outcome event.
    pub open_overdue: i64,
    /// When the latest Cal.com event was received.
    pub last_event_at: Option<Timestamp>,
    /// Whether any lead was ever booked.
    pub has_bookings: bool,
}

/// A review item as the feed's health counts it: its kind, and whether it is open now (not
/// resolved, not snoozed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemFacts {
    pub kind: ItemKind,
    pub open: bool,
}

impl FeedHealth {
    /// The feed's health as defined, from the review items, when each logged event was
    /// received, and the leads.
    pub fn of(items: &[ItemFacts], received: &[Timestamp], leads: &[LeadFacts]) -> FeedHealth {
        let open = |kind| items.iter().filter(|i| i.open && i.kind == kind).count() as i64;
        FeedHealth {
            open_failures: open(ItemKind::FailedDelivery),
            open_held: open(ItemKind::HeldEvent),
            open_overdue: open(ItemKind::OverdueOutcome),
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
/// open failure, held event or overdue outcome in the review queue, makes outcomes need a
/// manual check.
pub fn assess_feed(health: &FeedHealth, now: Timestamp, stale_hours: u32) -> FeedVerdict {
    let mut reasons = Vec::new();
    if health.open_failures > 0 {
        reasons.push(format!(
            "{} webhook deliveries could not be applied and are not resolved yet",
            health.open_failures
        ));
    }
    if health.open_held > 0 {
        reasons.push(format!(
            "{} Cal.com events are waiting for a booking this app has not seen",
            health.open_held
        ));
    }
    if health.open_overdue > 0 {
        reasons.push(format!(
            "{} bookings ended without a completed or no-show event",
            health.open_overdue
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

/// Why outcome figures need a check when reconciliation with Cal.com's bookings has failed
/// (API unreachable, key refused) since `failing_since`, for longer than two passes' interval
/// `every`; one failed pass is not yet a reason.
pub fn reconcile_reason(
    failing_since: Option<Timestamp>,
    error: Option<&str>,
    now: Timestamp,
    every: SignedDuration,
) -> Option<String> {
    let since = failing_since?;
    let failing_for = now.duration_since(since);
    (failing_for > every * 2).then(|| {
        format!(
            "reconciliation with Cal.com's bookings has failed for {} minutes: {}",
            failing_for.as_mins(),
            error.unwrap_or("no answer")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconciliation_failing_past_two_intervals_is_a_reason() {
        let now = at("2026-12-01T12:00:00Z");
        let every = SignedDuration::from_mins(15);
        let refused = Some("Cal.com refused the API key (HTTP 401); check CAL_API_KEY");
        assert_eq!(reconcile_reason(None, None, now, every), None);
        assert_eq!(
            reconcile_reason(Some(at("2026-12-01T11:31:00Z")), refused, now, every),
            None
        );
        let reason = reconcile_reason(Some(at("2026-12-01T11:29:00Z")), refused, now, every)
            .expect("a reason");
        assert!(
            reason.contains("31 minutes") && reason.contains("CAL_API_KEY"),
            "{reason}"
        );
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_quiet_feed_with_bookings_needs_a_check_and_one_without_bookings_does_not() {
        let now = at("2026-12-01T12:00:00Z");
        let quiet = FeedHealth {
            open_failures: 0,
            open_held: 0,
            open_overdue: 0,
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
    fn open_review_items_are_counted_in_the_reasons() {
        let health = FeedHealth {
            open_failures: 3,
            open_held: 1,
            open_overdue: 2,
            last_event_at: None,
            has_bookings: false,
        };
        assert_eq!(
            assess_feed(&health, at("2026-12-01T12:00:00Z"), 48).reasons,
            [
                "3 webhook deliveries could not be applied and are not resolved yet",
                "1 Cal.com events are waiting for a booking this app has not seen",
                "2 bookings ended without a completed or no-show event",
            ]
        );
        let items = [
            ItemFacts {
                kind: ItemKind::FailedDelivery,
                open: true,
            },
            ItemFacts {
                kind: ItemKind::FailedDelivery,
                open: false,
            },
            ItemFacts {
                kind: ItemKind::NotBooked,
                open: true,
            },
            ItemFacts {
                kind: ItemKind::OverdueOutcome,
                open: true,
            },
        ];
        let health = FeedHealth::of(&items, &[], &[]);
        assert_eq!(
            (health.open_failures, health.open_held, health.open_overdue),
            (1, 0, 1)
        );
    }
}
