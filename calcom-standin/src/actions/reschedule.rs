//! Moving a booking to another slot: a new booking that replaces the old one.

use app::ssr::calcom::payloads;
use jiff::{SignedDuration, Timestamp};

use super::{
    shared::{check, hook, pick_slot},
    types::{Action, ActionError, NewBooking, Outcome},
};
use crate::{
    booking::{new_uid, Attendee, Booking, Status, LENGTH_MINUTES},
    config::Config,
    store::Store,
};

/// Moves booking `old_uid` to `start` (or the next free slot): a new booking that remembers
/// the submission; the old one becomes CANCELLED without a webhook of its own. A pending
/// booking's reschedule is BOOKING_REQUESTED (CONTRACT.md B6.3).
pub(super) fn reschedule(
    store: &mut Store,
    config: &Config,
    old_uid: &str,
    start: Option<Timestamp>,
    rebooked_by: Option<(Attendee, NewBooking)>,
    force: bool,
    now: Timestamp,
) -> Result<Outcome, ActionError> {
    let old = store
        .booking(old_uid)
        .cloned()
        .ok_or_else(|| ActionError::NotFound(format!("no booking {old_uid}")))?;
    check(Action::Reschedule, &old, force)?;
    let start = pick_slot(store, &old.event.link, start, now)?;
    let uid = new_uid();
    let created_at = store.stamp(now);
    let mut metadata = old.metadata.clone();
    let (attendee, notes) = match rebooked_by {
        Some((attendee, new)) => {
            metadata.extend(new.metadata);
            (attendee, new.notes)
        }
        None => (old.attendee.clone(), old.notes.clone()),
    };
    let new = Booking {
        id: store.next_booking_id(),
        video_call_url: format!("{}/video/{uid}", config.public_origin),
        uid,
        end: start + SignedDuration::from_mins(LENGTH_MINUTES),
        start,
        attendee,
        notes,
        metadata,
        status: if old.status == Status::Pending {
            Status::Pending
        } else {
            Status::Accepted
        },
        created_at,
        updated_at: created_at,
        from_reschedule: Some(old.uid.clone()),
        rescheduled_to: None,
        cancellation_reason: None,
        rejection_reason: None,
        attendee_no_show: false,
        host_no_show: false,
        ..old.clone()
    };
    if let Some(previous) = store.booking_mut(old_uid) {
        previous.status = Status::Cancelled;
        previous.rescheduled_to = Some(new.uid.clone());
        previous.updated_at = created_at;
    }
    let sent_at = store.stamp(now);
    let (new_facts, old_facts) = (new.facts(true), old.facts(true));
    let webhook = if new.status == Status::Pending {
        let body = payloads::booking_reschedule_requested(&new_facts, &old_facts, sent_at);
        hook("BOOKING_REQUESTED", &new, body)
    } else {
        let body = payloads::booking_rescheduled(&new_facts, &old_facts, sent_at);
        hook("BOOKING_RESCHEDULED", &new, body)
    };
    store.insert(new.clone());
    Ok(Outcome {
        booking: new,
        webhooks: vec![webhook],
    })
}
