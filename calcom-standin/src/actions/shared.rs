//! What the actions share: the status check, a webhook for a booking, the requested start and
//! the slot it ends up in.

use jiff::Timestamp;

use super::types::{Action, ActionError};
use crate::{booking::Booking, slots, store::Store, webhook::Webhook};

pub(super) fn check(action: Action, booking: &Booking, force: bool) -> Result<(), ActionError> {
    if force || action.allowed(booking.status) {
        return Ok(());
    }
    Err(ActionError::Conflict(format!(
        "booking {} is {}; Cal.com would not {} it (force: true sends anyway)",
        booking.uid,
        booking.status.as_str(),
        action.as_str()
    )))
}

pub(super) fn hook(trigger: &str, booking: &Booking, body: String) -> Webhook {
    Webhook {
        trigger: trigger.to_owned(),
        booking_uid: Some(booking.uid.clone()),
        body,
    }
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

pub(super) fn pick_slot(
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
