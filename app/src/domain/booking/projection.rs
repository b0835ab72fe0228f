//! Folding a lead's booking events into its booking fields. The events are put in Cal.com's
//! time order first, so the result does not depend on the order they were delivered in: a
//! late, older event takes its place in the history and never moves the state backwards.

use std::{cmp::Ordering, collections::HashSet};

use jiff::Timestamp;

use super::{
    event::{BookingEvent, EventKind},
    machine::{transition, Stage},
};

/// The lead's booking fields as its event history determines them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingProjection {
    pub stage: Stage,
    /// The booking's state; `None` until an event about a booking applied.
    pub booking_status: Option<Stage>,
    pub booking_uid: Option<String>,
    pub booking_start: Option<Timestamp>,
    pub booking_end: Option<Timestamp>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
    /// When Cal.com first created a booking for the lead (created, or rescheduled from one).
    pub first_booked_at: Option<Timestamp>,
    pub reschedule_count: i32,
    pub cancellation_reason: Option<String>,
    pub last_event: Option<String>,
    pub last_event_at: Option<Timestamp>,
}

impl BookingProjection {
    /// The fields in which `self` and `other` disagree (times compared to the microsecond,
    /// the precision the database keeps), by their column names.
    pub fn differences(&self, other: &BookingProjection) -> Vec<&'static str> {
        let micros = |t: Option<Timestamp>| t.map(|t| t.as_microsecond());
        let checks = [
            ("stage", self.stage == other.stage),
            (
                "booking_status",
                self.booking_status == other.booking_status,
            ),
            ("booking_uid", self.booking_uid == other.booking_uid),
            (
                "booking_start",
                micros(self.booking_start) == micros(other.booking_start),
            ),
            (
                "booking_end",
                micros(self.booking_end) == micros(other.booking_end),
            ),
            (
                "attendee_time_zone",
                self.attendee_time_zone == other.attendee_time_zone,
            ),
            ("location", self.location == other.location),
            (
                "first_booked_at",
                micros(self.first_booked_at) == micros(other.first_booked_at),
            ),
            (
                "reschedule_count",
                self.reschedule_count == other.reschedule_count,
            ),
            (
                "cancellation_reason",
                self.cancellation_reason == other.cancellation_reason,
            ),
            ("last_event", self.last_event == other.last_event),
            (
                "last_event_at",
                micros(self.last_event_at) == micros(other.last_event_at),
            ),
        ];
        checks
            .into_iter()
            .filter(|(_, same)| !same)
            .map(|(name, _)| name)
            .collect()
    }
}

/// Cal.com's time order, with ties broken by lifecycle and then by content, so that every
/// delivery order sorts the same.
fn history_order(a: &BookingEvent, b: &BookingEvent) -> Ordering {
    let key = |e: &BookingEvent| {
        (
            e.at,
            e.kind.lifecycle_rank(),
            e.booking_uid.clone(),
            e.rescheduled_from.clone(),
            e.start,
            e.end,
            e.cancellation_reason.clone(),
            e.location.clone(),
            e.attendee_time_zone.clone(),
            e.trigger.clone(),
        )
    };
    key(a).cmp(&key(b))
}

/// The booking fields after `events` (in any order), for a lead at `base` (`new` or
/// `invited`) before any booking.
pub fn project(base: Stage, events: &[BookingEvent]) -> BookingProjection {
    let mut ordered: Vec<&BookingEvent> = events.iter().collect();
    ordered.sort_by(|a, b| history_order(a, b));

    let mut p = BookingProjection {
        stage: base,
        booking_status: None,
        booking_uid: None,
        booking_start: None,
        booking_end: None,
        attendee_time_zone: None,
        location: None,
        first_booked_at: None,
        reschedule_count: 0,
        cancellation_reason: None,
        last_event: None,
        last_event_at: None,
    };
    let mut superseded: HashSet<String> = HashSet::new();
    let mut reschedule_targets: HashSet<String> = HashSet::new();
    let mut before_no_show: Option<Stage> = None;

    for event in ordered {
        let moves_booking = event.kind == EventKind::Rescheduled
            || (event.kind == EventKind::Requested && event.rescheduled_from.is_some());
        let uid = event.booking_uid.as_deref();
        // An event about a booking the chain has moved on from changes nothing.
        if !moves_booking && uid.is_some_and(|u| superseded.contains(u)) {
            continue;
        }
        let opens_booking = matches!(event.kind, EventKind::Created | EventKind::Requested);
        if let (Some(current), Some(uid)) = (p.booking_uid.as_deref(), uid) {
            if current != uid && !moves_booking && !opens_booking {
                continue;
            }
        }

        if moves_booking {
            if let Some(old) = event.rescheduled_from.clone().or(p.booking_uid.clone()) {
                if Some(old.as_str()) != uid {
                    superseded.insert(old);
                }
            }
            if let Some(new) = uid {
                if reschedule_targets.insert(new.to_owned()) {
                    p.reschedule_count += 1;
                }
            }
        } else if opens_booking {
            if let (Some(current), Some(uid)) = (p.booking_uid.clone(), uid) {
                if current != uid {
                    superseded.insert(current);
                }
            }
        }
        if let Some(uid) = uid {
            p.booking_uid = Some(uid.to_owned());
        }

        let next = transition(p.stage, event.kind, before_no_show);
        if next == Stage::NoShow && p.stage != Stage::NoShow {
            before_no_show = Some(p.stage);
        }
        p.stage = next;
        p.booking_status = Some(next);

        if matches!(
            event.kind,
            EventKind::Created | EventKind::Requested | EventKind::Rescheduled
        ) {
            p.booking_start = event.start.or(p.booking_start);
            p.booking_end = event.end.or(p.booking_end);
            p.attendee_time_zone = event
                .attendee_time_zone
                .clone()
                .or(p.attendee_time_zone.take());
            p.location = event.location.clone().or(p.location.take());
            p.cancellation_reason = None;
        }
        if matches!(event.kind, EventKind::Created | EventKind::Rescheduled) {
            p.first_booked_at = Some(p.first_booked_at.map_or(event.at, |t| t.min(event.at)));
        }
        if event.kind == EventKind::Cancelled {
            p.cancellation_reason = event.cancellation_reason.clone();
        }
        p.last_event = Some(event.trigger.clone());
        p.last_event_at = Some(event.at);
    }
    p
}

#[cfg(test)]
mod tests;
