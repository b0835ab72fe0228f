//! The review queue: how long an event may wait for its booking, when a slot without an
//! outcome is overdue, and when an invited lead who never booked needs a follow-up.

use std::time::Duration;

use app::ssr::settings::ReviewSettings;

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Optional, Var},
};

pub const HELD_EVENT_REVIEW_MINUTES: Var<Number<u64>, DefaultsTo> = Var {
    name: "HELD_EVENT_REVIEW_MINUTES",
    meaning:
        "an event held for a booking not known yet becomes a review item after this long; 0 at once",
    unset: DefaultsTo("30"),
    parser: Number { range: 0..=525_600 },
};

pub const OUTCOME_OVERDUE_HOURS: Var<Number<u64>, Optional> = Var {
    name: "OUTCOME_OVERDUE_HOURS",
    meaning: "a slot that ended this long ago with no completed or no-show event is a review item",
    unset: Optional("`24`, once Cal.com has sent an outcome event in the last 30 days"),
    parser: Number { range: 1..=8_760 },
};

pub const FOLLOW_UP_AFTER_DAYS: Var<Number<u64>, DefaultsTo> = Var {
    name: "FOLLOW_UP_AFTER_DAYS",
    meaning: "a lead invited this long ago who never booked is a review item",
    unset: DefaultsTo("2"),
    parser: Number { range: 1..=365 },
};

/// When the overdue check applies without being set.
const DEFAULT_OVERDUE_HOURS: u64 = 24;

pub(super) fn settings(source: &Source) -> Result<ReviewSettings, ConfigError> {
    let overdue = OUTCOME_OVERDUE_HOURS.read(source)?;
    Ok(ReviewSettings {
        held_event_after: Duration::from_secs(HELD_EVENT_REVIEW_MINUTES.read(source)? * 60),
        outcome_overdue_after: Duration::from_secs(overdue.unwrap_or(DEFAULT_OVERDUE_HOURS) * 3600),
        outcome_overdue_explicit: overdue.is_some(),
        follow_up_after: Duration::from_secs(FOLLOW_UP_AFTER_DAYS.read(source)? * 86_400),
    })
}
