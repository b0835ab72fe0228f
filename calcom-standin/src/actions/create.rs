//! New bookings: booking a slot, and moving a booking to another slot (a reschedule is a new
//! booking that replaces the old one).

use app::ssr::calcom::payloads;
use jiff::{SignedDuration, Timestamp};

use super::{
    update::{check, hook},
    Action, ActionError, NewBooking, Outcome,
};
use crate::{
    booking::{new_uid, Attendee, Booking, Status, LENGTH_MINUTES},
    config::Config,
    slots,
    store::Store,
};

/// Books a slot: BOOKING_CREATED (BOOKING_REQUESTED when it needs confirmation), with the
/// booker's metadata; or, given `reschedule_uid`, a reschedule of that booking.
pub fn create(
    store: &mut Store,
    config: &Config,
    new: NewBooking,
    now: Timestamp,
) -> Result<Outcome, ActionError> {
    let name = new.name.trim();
    let email = new.email.trim();
    if name.is_empty() || !email.contains('@') {
        return Err(ActionError::Invalid(
            "a booking needs a name and an email address".into(),
        ));
    }
    let attendee = Attendee {
        name: name.to_owned(),
        email: email.to_owned(),
        time_zone: new
            .time_zone
            .clone()
            .filter(|tz| !tz.trim().is_empty())
            .unwrap_or_else(|| "UTC".into()),
    };
    let start = parse_start(new.start.as_deref())?;
    if let Some(old) = new.reschedule_uid.clone().filter(|uid| !uid.is_empty()) {
        return reschedule(
            store,
            config,
            &old,
            start,
            Some((attendee, new)),
            false,
            now,
        );
    }
    let event = match new.link.as_deref() {
        Some(link) => config.link(link),
        None => config.links.first(),
    }
    .cloned()
    .ok_or_else(|| ActionError::NotFound(format!("unknown event link {:?}", new.link)))?;
    let start = pick_slot(store, &event.link, start, now)?;
    let uid = new_uid();
    let booking = Booking {
        id: store.next_booking_id(),
        video_call_url: format!("{}/video/{uid}", config.public_origin),
        uid,
        end: start + SignedDuration::from_mins(LENGTH_MINUTES),
        start,
        event,
        attendee,
        notes: new.notes,
        guests: new.guests,
        metadata: new.metadata,
        status: if new.requires_confirmation {
            Status::Pending
        } else {
            Status::Accepted
        },
        created_at: store.stamp(now),
        from_reschedule: None,
        rescheduled_to: None,
        cancellation_reason: None,
        rejection_reason: None,
        attendee_no_show: false,
        host_no_show: false,
    };
    let sent_at = store.stamp(now);
    let facts = booking.facts(true);
    let webhook = if booking.status == Status::Pending {
        hook(
            "BOOKING_REQUESTED",
            &booking,
            payloads::booking_requested(&facts, sent_at),
        )
    } else {
        hook(
            "BOOKING_CREATED",
            &booking,
            payloads::booking_created(&facts, sent_at),
        )
    };
    store.insert(booking.clone());
    Ok(Outcome {
        booking,
        webhooks: vec![webhook],
    })
}

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
        created_at: store.stamp(now),
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

pub(super) fn parse_start(start: Option<&str>) -> Result<Option<Timestamp>, ActionError> {
    start
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Timestamp>().map_err(|e| {
                ActionError::Invalid(format!(
                    "start {s:?} is not a time like 2026-10-01T09:00:00Z: {e}"
                ))
            })
        })
        .transpose()
}

fn pick_slot(
    store: &Store,
    link: &str,
    start: Option<Timestamp>,
    now: Timestamp,
) -> Result<Timestamp, ActionError> {
    match start {
        Some(start) => Ok(start),
        None => slots::next_free(now, &store.taken(link))
            .ok_or_else(|| ActionError::Conflict("no free slot left".into())),
    }
}
