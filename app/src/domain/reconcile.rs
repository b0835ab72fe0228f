//! Reconciliation with Cal.com's bookings API: what a booking's state, as the API reports it,
//! says must have happened to it, and which of those events a lead's log is missing (a
//! webhook that never arrived). The missing ones are applied like deliveries, so the lead's
//! history, not a field overwrite, carries the repair.

use jiff::Timestamp;

use super::booking::{BookingEvent, EventKind};

/// A booking's status in the API (`status`, lower-cased by Cal.com).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiStatus {
    Accepted,
    Pending,
    Cancelled,
    Rejected,
    /// `awaiting_host` and anything newer: nothing to infer.
    Other(String),
}

impl ApiStatus {
    pub fn parse(text: &str) -> ApiStatus {
        match text.to_ascii_lowercase().as_str() {
            "accepted" => ApiStatus::Accepted,
            "pending" => ApiStatus::Pending,
            "cancelled" => ApiStatus::Cancelled,
            "rejected" => ApiStatus::Rejected,
            other => ApiStatus::Other(other.to_owned()),
        }
    }
}

/// One booking as `GET /v2/bookings` describes it, reduced to what a lead needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBooking {
    pub uid: String,
    pub status: ApiStatus,
    pub start: Timestamp,
    pub end: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Option<Timestamp>,
    pub rescheduled_from_uid: Option<String>,
    pub rescheduled_to_uid: Option<String>,
    pub cancellation_reason: Option<String>,
    /// The first attendee was marked absent, or the host was.
    pub no_show: bool,
    pub submission_id: Option<String>,
    pub event_type_id: Option<i64>,
    pub event_type: Option<String>,
    pub attendee_name: Option<String>,
    pub attendee_email: Option<String>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
}

impl ApiBooking {
    /// When the booking last changed; Cal.com leaves `updatedAt` empty for one never updated.
    fn changed_at(&self) -> Timestamp {
        self.updated_at
            .unwrap_or(self.created_at)
            .max(self.created_at)
    }

    fn event(&self, kind: EventKind, trigger: &str, at: Timestamp) -> BookingEvent {
        BookingEvent {
            trigger: trigger.to_owned(),
            kind,
            at,
            booking_uid: Some(self.uid.clone()),
            rescheduled_from: None,
            submission_id: self.submission_id.clone(),
            start: Some(self.start),
            end: Some(self.end),
            attendee_time_zone: self.attendee_time_zone.clone(),
            location: self.location.clone(),
            cancellation_reason: None,
            event_type: self.event_type.clone(),
            event_type_id: self.event_type_id,
            attendee_name: self.attendee_name.clone(),
            attendee_email: self.attendee_email.clone(),
        }
    }

    /// The events the booking's state implies, in the order they happened.
    pub fn implied_events(&self) -> Vec<BookingEvent> {
        let mut events = Vec::new();
        let beginning = match (&self.status, &self.rescheduled_from_uid) {
            (ApiStatus::Other(_), _) => return events,
            (ApiStatus::Pending | ApiStatus::Rejected, _) => {
                self.event(EventKind::Requested, "BOOKING_REQUESTED", self.created_at)
            }
            (_, Some(from)) => BookingEvent {
                rescheduled_from: Some(from.clone()),
                ..self.event(
                    EventKind::Rescheduled,
                    "BOOKING_RESCHEDULED",
                    self.created_at,
                )
            },
            _ => self.event(EventKind::Created, "BOOKING_CREATED", self.created_at),
        };
        events.push(beginning);
        match &self.status {
            ApiStatus::Rejected => {
                events.push(self.event(EventKind::Rejected, "BOOKING_REJECTED", self.changed_at()));
            }
            // A booking rescheduled away is cancelled by Cal.com; its successor carries the
            // reschedule, so it implies no cancellation of the lead's booking.
            ApiStatus::Cancelled if self.rescheduled_to_uid.is_none() => {
                events.push(BookingEvent {
                    cancellation_reason: self.cancellation_reason.clone().filter(|r| !r.is_empty()),
                    ..self.event(EventKind::Cancelled, "BOOKING_CANCELLED", self.changed_at())
                });
            }
            _ => {}
        }
        if self.no_show && matches!(self.status, ApiStatus::Accepted) {
            let at = self.changed_at().max(self.end);
            events.push(self.event(EventKind::NoShowMarked, "BOOKING_NO_SHOW_UPDATED", at));
        }
        events
    }

    /// The implied events that `known` (the lead's events for this booking and others) does
    /// not already account for.
    pub fn missing_events(&self, known: &[BookingEvent]) -> Vec<BookingEvent> {
        self.implied_events()
            .into_iter()
            .filter(|implied| !accounted_for(implied, known))
            .collect()
    }
}

/// Whether the log already holds what `implied` says happened to its booking.
fn accounted_for(implied: &BookingEvent, known: &[BookingEvent]) -> bool {
    let for_booking = |event: &&BookingEvent| event.booking_uid == implied.booking_uid;
    match implied.kind {
        // The booking exists in the log in any of the ways it can begin.
        EventKind::Created | EventKind::Requested | EventKind::Rescheduled => {
            known.iter().filter(for_booking).any(|event| {
                matches!(
                    event.kind,
                    EventKind::Created | EventKind::Requested | EventKind::Rescheduled
                )
            })
        }
        // The latest mark stands: a mark taken back is not a no-show any more.
        EventKind::NoShowMarked => known
            .iter()
            .filter(for_booking)
            .filter(|e| matches!(e.kind, EventKind::NoShowMarked | EventKind::NoShowUnmarked))
            .max_by_key(|e| e.at)
            .is_some_and(|latest| latest.kind == EventKind::NoShowMarked),
        kind => known
            .iter()
            .filter(for_booking)
            .any(|event| event.kind == kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a time")
    }

    fn booking(status: &str) -> ApiBooking {
        ApiBooking {
            uid: "uidA".into(),
            status: ApiStatus::parse(status),
            start: at("2026-10-01T09:00:00Z"),
            end: at("2026-10-01T09:30:00Z"),
            created_at: at("2026-09-20T10:00:00Z"),
            updated_at: Some(at("2026-09-25T10:00:00Z")),
            rescheduled_from_uid: None,
            rescheduled_to_uid: None,
            cancellation_reason: Some("Plans changed".into()),
            no_show: false,
            submission_id: Some("sub-1".into()),
            event_type_id: Some(50),
            event_type: Some("intro".into()),
            attendee_name: Some("Ana Kovač".into()),
            attendee_email: Some("ana@example.com".into()),
            attendee_time_zone: Some("Europe/Zagreb".into()),
            location: None,
        }
    }

    fn kinds(events: &[BookingEvent]) -> Vec<EventKind> {
        events.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn each_status_implies_its_history() {
        use EventKind::*;
        assert_eq!(kinds(&booking("accepted").implied_events()), [Created]);
        assert_eq!(kinds(&booking("ACCEPTED").implied_events()), [Created]);
        assert_eq!(kinds(&booking("pending").implied_events()), [Requested]);
        assert_eq!(
            kinds(&booking("rejected").implied_events()),
            [Requested, Rejected]
        );
        assert_eq!(
            kinds(&booking("cancelled").implied_events()),
            [Created, Cancelled]
        );
        assert!(booking("awaiting_host").implied_events().is_empty());
        let no_show = ApiBooking {
            no_show: true,
            ..booking("accepted")
        };
        assert_eq!(kinds(&no_show.implied_events()), [Created, NoShowMarked]);
    }

    #[test]
    fn a_cancellation_carries_its_reason_and_time() {
        let events = booking("cancelled").implied_events();
        assert_eq!(
            events[1].cancellation_reason.as_deref(),
            Some("Plans changed")
        );
        assert_eq!(events[1].at, at("2026-09-25T10:00:00Z"));
        let never_updated = ApiBooking {
            updated_at: None,
            cancellation_reason: Some(String::new()),
            ..booking("cancelled")
        };
        let events = never_updated.implied_events();
        assert_eq!(events[1].at, at("2026-09-20T10:00:00Z"));
        assert_eq!(events[1].cancellation_reason, None);
    }

    #[test]
    fn a_reschedule_shows_on_the_new_booking_not_as_a_cancellation_of_the_old() {
        let old = ApiBooking {
            rescheduled_to_uid: Some("uidB".into()),
            ..booking("cancelled")
        };
        assert_eq!(kinds(&old.implied_events()), [EventKind::Created]);
        let new = ApiBooking {
            uid: "uidB".into(),
            rescheduled_from_uid: Some("uidA".into()),
            ..booking("accepted")
        };
        let events = new.implied_events();
        assert_eq!(kinds(&events), [EventKind::Rescheduled]);
        assert_eq!(events[0].rescheduled_from.as_deref(), Some("uidA"));
    }

    #[test]
    fn a_no_show_is_dated_no_earlier_than_the_slot_end() {
        let marked = ApiBooking {
            no_show: true,
            updated_at: Some(at("2026-09-21T10:00:00Z")),
            ..booking("accepted")
        };
        assert_eq!(marked.implied_events()[1].at, at("2026-10-01T09:30:00Z"));
    }

    #[test]
    fn only_what_the_log_lacks_is_missing() {
        let cancelled = booking("cancelled");
        let implied = cancelled.implied_events();
        assert_eq!(kinds(&cancelled.missing_events(&[])), kinds(&implied));
        // The creation arrived, the cancellation did not.
        let created_only = vec![implied[0].clone()];
        assert_eq!(
            kinds(&cancelled.missing_events(&created_only)),
            [EventKind::Cancelled]
        );
        assert!(cancelled.missing_events(&implied).is_empty());
        // Events for another booking do not count.
        let other = BookingEvent {
            booking_uid: Some("uidZ".into()),
            ..implied[1].clone()
        };
        assert_eq!(cancelled.missing_events(&[other]).len(), 2);
    }

    #[test]
    fn a_no_show_taken_back_in_the_log_is_missing_again_if_the_api_still_says_absent() {
        let marked = ApiBooking {
            no_show: true,
            ..booking("accepted")
        };
        let implied = marked.implied_events();
        let mark = implied[1].clone();
        let unmark = BookingEvent {
            kind: EventKind::NoShowUnmarked,
            at: mark.at + jiff::SignedDuration::from_mins(5),
            ..mark.clone()
        };
        let log = vec![implied[0].clone(), mark.clone(), unmark];
        assert_eq!(
            kinds(&marked.missing_events(&log)),
            [EventKind::NoShowMarked]
        );
        assert!(marked
            .missing_events(&[implied[0].clone(), mark])
            .is_empty());
    }
}
