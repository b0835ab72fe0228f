//! Actions on an existing booking (cancel, confirm, reject, meetings, no-shows) and the ping
//! test; a reschedule is a new booking, made in [`super::reschedule`].

use app::ssr::calcom::payloads;
use jiff::Timestamp;

use super::{
    reschedule::reschedule,
    shared::{check, hook, parse_start},
    types::{Action, ActionError, ActionInput, Outcome},
};
use crate::{booking::Status, config::Config, store::Store, webhook::Webhook};

/// Applies `action` to booking `uid`.
pub fn act(
    store: &mut Store,
    config: &Config,
    uid: &str,
    action: Action,
    input: ActionInput,
    now: Timestamp,
) -> Result<Outcome, ActionError> {
    if action == Action::Reschedule {
        let start = parse_start(input.start.as_deref())?;
        return reschedule(store, config, uid, start, None, input.force, now);
    }
    let sent_at = store.stamp(now);
    let booking = store
        .booking_mut(uid)
        .ok_or_else(|| ActionError::NotFound(format!("no booking {uid}")))?;
    check(action, booking, input.force)?;
    let reason = input.reason.as_deref().filter(|r| !r.trim().is_empty());
    if !matches!(action, Action::MeetingStarted | Action::MeetingEnded) {
        booking.updated_at = sent_at;
    }
    let (trigger, body) = match action {
        Action::Cancel => {
            booking.status = Status::Cancelled;
            booking.cancellation_reason = reason.map(str::to_owned);
            let body = payloads::booking_cancelled(&booking.facts(false), reason, sent_at);
            ("BOOKING_CANCELLED", body)
        }
        Action::Confirm => {
            booking.status = Status::Accepted;
            // Cal.com's confirmation carries no embed metadata (CONTRACT.md B3).
            let body = payloads::booking_created(&booking.facts(false), sent_at);
            ("BOOKING_CREATED", body)
        }
        Action::Reject => {
            booking.status = Status::Rejected;
            booking.rejection_reason = reason.map(str::to_owned);
            let body = payloads::booking_rejected(&booking.facts(false), reason, sent_at);
            ("BOOKING_REJECTED", body)
        }
        Action::MeetingStarted | Action::MeetingEnded => {
            let trigger = if action == Action::MeetingStarted {
                "MEETING_STARTED"
            } else {
                "MEETING_ENDED"
            };
            let facts = booking.facts(false);
            let body = if input.flat {
                payloads::meeting_flat(trigger, &facts)
            } else {
                payloads::meeting_wrapped(trigger, &facts, sent_at)
            };
            (trigger, body)
        }
        Action::NoShow | Action::NoShowUndo => {
            booking.attendee_no_show = action == Action::NoShow;
            let body =
                payloads::no_show_updated(&booking.facts(false), booking.attendee_no_show, sent_at);
            ("BOOKING_NO_SHOW_UPDATED", body)
        }
        Action::HostNoShow | Action::GuestNoShow => {
            let trigger = if action == Action::HostNoShow {
                booking.host_no_show = true;
                "AFTER_HOSTS_CAL_VIDEO_NO_SHOW"
            } else {
                booking.attendee_no_show = true;
                "AFTER_GUESTS_CAL_VIDEO_NO_SHOW"
            };
            (
                trigger,
                payloads::cal_video_no_show(trigger, &booking.facts(false), sent_at),
            )
        }
        // Moved to a new booking above, before this one was borrowed.
        Action::Reschedule => {
            return Err(ActionError::Invalid("reschedule takes another path".into()))
        }
    };
    let booking = booking.clone();
    Ok(Outcome {
        webhooks: vec![hook(trigger, &booking, body)],
        booking,
    })
}

/// Cal.com's "ping test".
pub fn ping(store: &mut Store, now: Timestamp) -> Webhook {
    Webhook {
        trigger: "PING".into(),
        booking_uid: None,
        body: payloads::ping(store.stamp(now)),
    }
}
