//! New bookings: booking a slot as the booker page does; given a `rescheduleUid`, the booking
//! is a reschedule instead.

use app::ssr::calcom::payloads;
use jiff::{SignedDuration, Timestamp};

use super::{
    reschedule::reschedule,
    shared::{hook, parse_start, pick_slot},
    types::{ActionError, NewBooking, Outcome},
};
use crate::{
    booking::{new_uid, Attendee, Booking, Status, LENGTH_MINUTES},
    config::Config,
    store::Store,
};

/// Books a slot: BOOKING_CREATED (BOOKING_REQUESTED when it needs confirmation), with the
/// booker's metadata (none with `lose_metadata`); or, given `reschedule_uid`, a reschedule of
/// that booking.
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
    let created_at = store.stamp(now);
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
        metadata: if new.lose_metadata {
            Default::default()
        } else {
            new.metadata
        },
        status: if new.requires_confirmation {
            Status::Pending
        } else {
            Status::Accepted
        },
        created_at,
        updated_at: created_at,
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
