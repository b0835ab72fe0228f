//! The review page's words for kinds, actions and stages.

use crate::domain::{
    booking::Stage,
    review::{ActionName, ItemKind},
};

pub fn kind_one(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::FailedDelivery => "Failed delivery",
        ItemKind::HeldEvent => "Held event",
        ItemKind::OverdueOutcome => "Outcome overdue",
        ItemKind::SyncGap => "Sync gap",
        ItemKind::NotBooked => "Never booked",
        ItemKind::UnlinkedBooking => "Booking without a lead",
        ItemKind::CalcomMismatch => "Differs from Cal.com",
    }
}

pub fn kind_plural(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::FailedDelivery => "Failed deliveries",
        ItemKind::HeldEvent => "Held events",
        ItemKind::OverdueOutcome => "Outcomes overdue",
        ItemKind::SyncGap => "Sync gaps",
        ItemKind::NotBooked => "Never booked",
        ItemKind::UnlinkedBooking => "Bookings without a lead",
        ItemKind::CalcomMismatch => "Differences from Cal.com",
    }
}

/// What a kind means and what settles it.
pub fn kind_note(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::FailedDelivery => {
            "Signed Cal.com deliveries that could not be applied (an unknown submission id, a body \
             we could not read). Link one to the right lead to apply it as if it had arrived so, \
             or discard it."
        }
        ItemKind::HeldEvent => {
            "Events for a booking we do not know, held longer than one takes to arrive (Cal.com \
             may have lost the form's submission id). Link one to its lead to apply it, in order, \
             with the events held for the same booking; or discard it."
        }
        ItemKind::OverdueOutcome => {
            "Meetings whose slot ended a while ago with no completed or no-show event from \
             Cal.com. Say how it went."
        }
        ItemKind::SyncGap => {
            "Leads whose stored booking disagrees with their own event history. Re-project to \
             write the booking again from the events, or dismiss."
        }
        ItemKind::NotBooked => {
            "Leads who reached the booking page a while ago and never booked. Follow up by \
             email, then dismiss, or snooze to look again later."
        }
        ItemKind::UnlinkedBooking => {
            "Bookings Cal.com lists for the form's event type that match no lead here, found by              the check against Cal.com's bookings (no webhook about them arrived or matched).              Link one to its lead to apply it, or discard it."
        }
        ItemKind::CalcomMismatch => {
            "Leads whose booking Cal.com reports in a state that cannot be applied safely here              (an owner's mark, or a cancelled booking Cal.com has as accepted). Take Cal.com's              state, or dismiss to keep ours."
        }
    }
}

/// The button text of an action.
pub fn action_label(action: ActionName) -> &'static str {
    match action {
        ActionName::Link => "Link and apply",
        ActionName::Discard => "Discard",
        ActionName::MarkCompleted => "Mark completed",
        ActionName::MarkNoShow => "Mark no-show",
        ActionName::Reproject => "Re-project",
        ActionName::Dismiss => "Dismiss",
        ActionName::Snooze => "Snooze",
        ActionName::TakeCalcom => "Take Cal.com's state",
    }
}

pub fn stage(stage: Stage) -> &'static str {
    match stage {
        Stage::New => "new",
        Stage::Invited => "invited",
        Stage::Requested => "awaiting the host",
        Stage::Booked => "booked",
        Stage::Rescheduled => "rescheduled",
        Stage::Completed => "completed",
        Stage::NoShow => "no-show",
        Stage::Cancelled => "cancelled",
        Stage::Rejected => "rejected",
    }
}

/// The text with its first letter in capitals ("invited more than…" → "Invited more than…").
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
