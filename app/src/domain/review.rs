//! The review queue's rules: the kinds of item the automation could not settle, their stable
//! ids, and which owner action fits which kind.

use serde::{Deserialize, Serialize};

/// What needs an owner's eye.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A verified delivery that could not be applied.
    FailedDelivery,
    /// An event for a booking not known yet, held for longer than it should take to arrive.
    HeldEvent,
    /// A slot that ended a while ago with no completed or no-show event.
    OverdueOutcome,
    /// A lead whose stored booking fields disagree with its own event log.
    SyncGap,
    /// A lead invited a while ago who never booked.
    NotBooked,
    /// A booking Cal.com's API lists, of the form's event type, that matches no lead.
    UnlinkedBooking,
    /// A lead whose booking Cal.com's API reports in a state the log cannot safely follow.
    CalcomMismatch,
}

impl ItemKind {
    pub const ALL: [ItemKind; 7] = [
        ItemKind::FailedDelivery,
        ItemKind::HeldEvent,
        ItemKind::OverdueOutcome,
        ItemKind::SyncGap,
        ItemKind::NotBooked,
        ItemKind::UnlinkedBooking,
        ItemKind::CalcomMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::FailedDelivery => "failed_delivery",
            ItemKind::HeldEvent => "held_event",
            ItemKind::OverdueOutcome => "overdue_outcome",
            ItemKind::SyncGap => "sync_gap",
            ItemKind::NotBooked => "not_booked",
            ItemKind::UnlinkedBooking => "unlinked_booking",
            ItemKind::CalcomMismatch => "calcom_mismatch",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The prefix of this kind's item ids.
    fn id_prefix(self) -> &'static str {
        match self {
            ItemKind::FailedDelivery => "failure",
            ItemKind::HeldEvent => "held",
            ItemKind::OverdueOutcome => "overdue",
            ItemKind::SyncGap => "sync_gap",
            ItemKind::NotBooked => "not_booked",
            ItemKind::UnlinkedBooking => "unlinked",
            ItemKind::CalcomMismatch => "mismatch",
        }
    }

    /// The stable id of this kind's item for `key` (a failure or event id, a booking uid, a
    /// submission id…).
    pub fn item_id(self, key: &str) -> String {
        format!("{}:{key}", self.id_prefix())
    }

    /// The kind an item id names, if it names one.
    pub fn of_item_id(id: &str) -> Option<ItemKind> {
        let (prefix, key) = id.split_once(':')?;
        (!key.is_empty())
            .then(|| ItemKind::ALL.into_iter().find(|k| k.id_prefix() == prefix))
            .flatten()
    }

    /// The key an item id carries after its kind's prefix.
    pub fn key_of(id: &str) -> Option<&str> {
        Self::of_item_id(id)?;
        id.split_once(':').map(|(_, key)| key)
    }

    /// What an owner can do with an item of this kind.
    pub fn actions(self) -> &'static [ActionName] {
        use ActionName as A;
        match self {
            ItemKind::FailedDelivery | ItemKind::HeldEvent => &[A::Link, A::Discard],
            ItemKind::OverdueOutcome => &[A::MarkCompleted, A::MarkNoShow, A::Dismiss],
            ItemKind::SyncGap => &[A::Reproject, A::Dismiss],
            ItemKind::NotBooked => &[A::Dismiss, A::Snooze],
            ItemKind::UnlinkedBooking => &[A::Link, A::Discard],
            ItemKind::CalcomMismatch => &[A::TakeCalcom, A::Dismiss],
        }
    }
}

/// The owner actions, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    Link,
    Discard,
    MarkCompleted,
    MarkNoShow,
    Reproject,
    Dismiss,
    Snooze,
    /// Apply Cal.com's state of the booking to the lead.
    TakeCalcom,
}

impl ActionName {
    pub const ALL: [ActionName; 8] = [
        ActionName::Link,
        ActionName::Discard,
        ActionName::MarkCompleted,
        ActionName::MarkNoShow,
        ActionName::Reproject,
        ActionName::Dismiss,
        ActionName::Snooze,
        ActionName::TakeCalcom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::Link => "link",
            ActionName::Discard => "discard",
            ActionName::MarkCompleted => "mark_completed",
            ActionName::MarkNoShow => "mark_no_show",
            ActionName::Reproject => "reproject",
            ActionName::Dismiss => "dismiss",
            ActionName::Snooze => "snooze",
            ActionName::TakeCalcom => "take_calcom",
        }
    }

    pub fn parse(text: &str) -> Option<ActionName> {
        ActionName::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The longest reason an owner may give.
pub const REASON_MAX: usize = 500;
/// The longest snooze.
pub const SNOOZE_MAX_DAYS: u16 = 365;

/// An owner's action on an item, with what it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    /// Apply the item's event to this lead.
    Link {
        submission_id: String,
    },
    Discard {
        reason: String,
    },
    MarkCompleted,
    MarkNoShow,
    /// Write the lead's booking fields from its event log again.
    Reproject,
    Dismiss {
        reason: String,
    },
    Snooze {
        days: u16,
    },
    /// Apply Cal.com's state of the booking to the lead.
    TakeCalcom,
}

/// Why an action request cannot be taken as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{0:?} is not an action (link, discard, mark_completed, mark_no_show, reproject, dismiss, snooze, take_calcom)")]
    Unknown(String),
    #[error("{action} needs {what}")]
    Missing {
        action: &'static str,
        what: &'static str,
    },
    #[error("the reason must be at most {REASON_MAX} characters")]
    ReasonTooLong,
    #[error("snooze takes a number of days from 1 to {SNOOZE_MAX_DAYS}")]
    BadDays,
    #[error("{action} does not fit a {kind} item (it takes {fits})")]
    DoesNotFit {
        action: &'static str,
        kind: &'static str,
        fits: String,
    },
}

impl ReviewAction {
    /// Reads an action as a form or JSON names it: `action` and, as it needs,
    /// `submission_id`, `reason` or `days`.
    pub fn parse(
        action: &str,
        submission_id: Option<&str>,
        reason: Option<&str>,
        days: Option<&str>,
    ) -> Result<ReviewAction, ActionError> {
        let name = ActionName::parse(action.trim())
            .ok_or_else(|| ActionError::Unknown(action.to_owned()))?;
        fn given(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|v| !v.is_empty())
        }
        let reason = || -> Result<String, ActionError> {
            let reason = given(reason).ok_or(ActionError::Missing {
                action: name.as_str(),
                what: "a reason",
            })?;
            if reason.chars().count() > REASON_MAX {
                return Err(ActionError::ReasonTooLong);
            }
            Ok(reason.to_owned())
        };
        Ok(match name {
            ActionName::Link => ReviewAction::Link {
                submission_id: given(submission_id)
                    .ok_or(ActionError::Missing {
                        action: "link",
                        what: "the submission id of the lead",
                    })?
                    .to_owned(),
            },
            ActionName::Discard => ReviewAction::Discard { reason: reason()? },
            ActionName::MarkCompleted => ReviewAction::MarkCompleted,
            ActionName::MarkNoShow => ReviewAction::MarkNoShow,
            ActionName::Reproject => ReviewAction::Reproject,
            ActionName::Dismiss => ReviewAction::Dismiss { reason: reason()? },
            ActionName::TakeCalcom => ReviewAction::TakeCalcom,
            ActionName::Snooze => {
                let days = given(days)
                    .ok_or(ActionError::Missing {
                        action: "snooze",
                        what: "a number of days",
                    })?
                    .parse::<u16>()
                    .map_err(|_| ActionError::BadDays)?;
                if !(1..=SNOOZE_MAX_DAYS).contains(&days) {
                    return Err(ActionError::BadDays);
                }
                ReviewAction::Snooze { days }
            }
        })
    }

    pub fn name(&self) -> ActionName {
        match self {
            ReviewAction::Link { .. } => ActionName::Link,
            ReviewAction::Discard { .. } => ActionName::Discard,
            ReviewAction::MarkCompleted => ActionName::MarkCompleted,
            ReviewAction::MarkNoShow => ActionName::MarkNoShow,
            ReviewAction::Reproject => ActionName::Reproject,
            ReviewAction::Dismiss { .. } => ActionName::Dismiss,
            ReviewAction::Snooze { .. } => ActionName::Snooze,
            ReviewAction::TakeCalcom => ActionName::TakeCalcom,
        }
    }

    /// The action, if it fits an item of `kind`.
    pub fn fitting(self, kind: ItemKind) -> Result<ReviewAction, ActionError> {
        if kind.actions().contains(&self.name()) {
            return Ok(self);
        }
        let fits: Vec<&str> = kind.actions().iter().map(|a| a.as_str()).collect();
        Err(ActionError::DoesNotFit {
            action: self.name().as_str(),
            kind: kind.as_str(),
            fits: fits.join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_name_their_kind() {
        for kind in ItemKind::ALL {
            let id = kind.item_id("abc:def");
            assert_eq!(ItemKind::of_item_id(&id), Some(kind), "{id}");
            assert_eq!(ItemKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            ItemKind::item_id(ItemKind::OverdueOutcome, "bk1"),
            "overdue:bk1"
        );
        for bad in ["", "overdue", "overdue:", "nope:1", ":1"] {
            assert_eq!(ItemKind::of_item_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn actions_read_what_they_need() {
        assert_eq!(
            ReviewAction::parse("link", Some(" abc "), None, None),
            Ok(ReviewAction::Link {
                submission_id: "abc".into()
            })
        );
        assert_eq!(
            ReviewAction::parse("snooze", None, None, Some("7")),
            Ok(ReviewAction::Snooze { days: 7 })
        );
        assert!(matches!(
            ReviewAction::parse("dismiss", None, Some("  "), None),
            Err(ActionError::Missing { .. })
        ));
        assert_eq!(
            ReviewAction::parse("snooze", None, None, Some("0")),
            Err(ActionError::BadDays)
        );
        assert_eq!(
            ReviewAction::parse("discard", None, Some(&"x".repeat(REASON_MAX + 1)), None),
            Err(ActionError::ReasonTooLong)
        );
        assert!(matches!(
            ReviewAction::parse("delete", None, None, None),
            Err(ActionError::Unknown(_))
        ));
    }

    #[test]
    fn an_action_fits_only_its_kinds() {
        let mark = ReviewAction::MarkCompleted;
        assert!(mark.clone().fitting(ItemKind::OverdueOutcome).is_ok());
        let refused = mark.fitting(ItemKind::NotBooked).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "mark_completed does not fit a not_booked item (it takes dismiss, snooze)"
        );
        for kind in ItemKind::ALL {
            assert!(!kind.actions().is_empty());
        }
    }
}
