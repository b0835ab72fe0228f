//! Reconciliation with Cal.com's bookings API: what a booking's state, as the API reports it,
//! says must have happened to it, and which of those events a lead's log is missing (a
//! webhook that never arrived). The missing ones are applied like deliveries, so the lead's
//! history, not a field overwrite, carries the repair.

use jiff::Timestamp;

use super::booking::{project, BookingEvent, EventKind, Stage};

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

    /// How the booking began, at Cal.com's `createdAt` (so time-to-book stays right): a
    /// request awaiting the host, a reschedule of an earlier booking, or a creation.
    pub fn beginning(&self) -> Option<BookingEvent> {
        Some(match (&self.status, &self.rescheduled_from_uid) {
            (ApiStatus::Other(_), _) => return None,
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
        })
    }

    /// The state Cal.com reports, as a lead's booking stage; `None` when the booking says
    /// nothing about the lead (rescheduled away: its successor carries the reschedule) or
    /// its status is one this app does not know.
    pub fn wanted(&self) -> Option<Wanted> {
        Some(match self.status {
            ApiStatus::Other(_) => return None,
            ApiStatus::Pending => Wanted::Requested,
            ApiStatus::Rejected => Wanted::Rejected,
            ApiStatus::Cancelled if self.rescheduled_to_uid.is_some() => return None,
            ApiStatus::Cancelled => Wanted::Cancelled,
            ApiStatus::Accepted if self.no_show => Wanted::NoShow,
            ApiStatus::Accepted => Wanted::Accepted,
        })
    }

    /// The event that puts a booking now at `here` into Cal.com's state, at `at`.
    fn state_event(&self, wanted: Wanted, here: Stage, at: Timestamp) -> BookingEvent {
        match wanted {
            Wanted::Requested => self.event(EventKind::Requested, "BOOKING_REQUESTED", at),
            Wanted::Rejected => self.event(EventKind::Rejected, "BOOKING_REJECTED", at),
            Wanted::Cancelled => BookingEvent {
                cancellation_reason: self.cancellation_reason.clone().filter(|r| !r.is_empty()),
                ..self.event(EventKind::Cancelled, "BOOKING_CANCELLED", at)
            },
            Wanted::NoShow => self.event(EventKind::NoShowMarked, "BOOKING_NO_SHOW_UPDATED", at),
            Wanted::Accepted if here == Stage::NoShow => {
                self.event(EventKind::NoShowUnmarked, "BOOKING_NO_SHOW_UPDATED", at)
            }
            Wanted::Accepted => self.event(EventKind::Created, "BOOKING_CREATED", at),
        }
    }

    /// What a pass at `pass_at` does about this booking of a lead whose log holds `known`.
    ///
    /// A missed beginning is applied at Cal.com's `createdAt`. A missed change of state is
    /// applied at the time of the pass when the booking is the lead's latest, so that Cal.com's
    /// current state wins over older events and a second pass finds nothing to do; for an
    /// older booking of the lead, at Cal.com's `updatedAt`, so it does not override the
    /// lead's newer booking. A difference an owner's word is part of, or that no event can
    /// follow (Cal.com has it accepted, the log cancelled), is not applied but reported.
    pub fn repair(&self, known: &[BookingEvent], pass_at: Timestamp) -> Repair {
        let mut repair = Repair::default();
        let Some(beginning) = self.beginning() else {
            return repair;
        };
        let mut mine: Vec<BookingEvent> = known
            .iter()
            .filter(|e| e.booking_uid.as_deref() == Some(&self.uid))
            .cloned()
            .collect();
        if !mine.iter().any(|e| e.kind.begins_booking()) {
            mine.push(beginning.clone());
            repair.apply.push(beginning);
        }
        let Some(wanted) = self.wanted() else {
            return repair;
        };
        let here = project(Stage::Invited, &mine).stage;
        let owner_said = mine
            .iter()
            .filter(|e| e.kind.is_outcome())
            .max_by_key(|e| e.at)
            .is_some_and(|e| e.trigger.starts_with(OWNER_TRIGGER_PREFIX));
        let step = match wanted.from(here) {
            Step::Agrees => return repair,
            Step::Apply if !owner_said => self.state_at(known, &repair.apply, pass_at),
            Step::Apply | Step::Conflict => {
                repair.mismatch = Some(format!(
                    "Cal.com has booking {} {}; here it is {}{}",
                    self.uid,
                    wanted.describe(),
                    here.as_str().replace('_', "-"),
                    if owner_said {
                        ", as an owner marked it"
                    } else {
                        ""
                    },
                ));
                return repair;
            }
        };
        repair.apply.push(self.state_event(wanted, here, step));
        repair
    }

    /// The event an owner's "take Cal.com's state" applies at `at`, whatever the log says;
    /// `None` when Cal.com's state says nothing about the lead.
    pub fn take_state(&self, known: &[BookingEvent], at: Timestamp) -> Option<BookingEvent> {
        let wanted = self.wanted()?;
        let mine: Vec<BookingEvent> = known
            .iter()
            .filter(|e| e.booking_uid.as_deref() == Some(&self.uid))
            .cloned()
            .collect();
        let here = project(Stage::Invited, &mine).stage;
        (wanted.from(here) != Step::Agrees).then(|| self.state_event(wanted, here, at))
    }

    /// When a missed change of state is dated (see [`ApiBooking::repair`]).
    fn state_at(
        &self,
        known: &[BookingEvent],
        applied: &[BookingEvent],
        pass_at: Timestamp,
    ) -> Timestamp {
        let latest = known
            .iter()
            .chain(applied)
            .filter(|e| e.kind.begins_booking())
            .max_by_key(|e| e.at)
            .and_then(|e| e.booking_uid.as_deref());
        if latest == Some(self.uid.as_str()) {
            pass_at
        } else {
            self.changed_at()
        }
    }
}

/// Owner actions are logged under triggers of their own, all with this prefix.
pub const OWNER_TRIGGER_PREFIX: &str = "OWNER_";

/// A booking's state as Cal.com reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    Requested,
    Accepted,
    NoShow,
    Cancelled,
    Rejected,
}

/// How a log's stage for a booking stands to Cal.com's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// They agree.
    Agrees,
    /// One event brings the log to Cal.com's state.
    Apply,
    /// The log says something no event of Cal.com's follows (a cancelled booking accepted).
    Conflict,
}

impl Wanted {
    fn from(self, here: Stage) -> Step {
        use Stage as S;
        match (self, here) {
            (Wanted::Requested, S::Requested)
            | (Wanted::Accepted, S::Booked | S::Rescheduled | S::Completed)
            | (Wanted::NoShow, S::NoShow)
            | (Wanted::Cancelled, S::Cancelled)
            | (Wanted::Rejected, S::Rejected) => Step::Agrees,
            (_, S::Cancelled | S::Rejected) => Step::Conflict,
            (Wanted::Requested, _) => Step::Conflict,
            (Wanted::Rejected, S::Requested | S::New | S::Invited) => Step::Apply,
            (Wanted::Rejected, _) => Step::Conflict,
            _ => Step::Apply,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Wanted::Requested => "awaiting the host's confirmation",
            Wanted::Accepted => "accepted",
            Wanted::NoShow => "marked as a no-show",
            Wanted::Cancelled => "cancelled",
            Wanted::Rejected => "rejected",
        }
    }
}

/// What a pass does about one booking of a lead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repair {
    /// Events the lead's log lacks, to apply as Cal.com's (in this order).
    pub apply: Vec<BookingEvent>,
    /// A difference that cannot be settled safely, in plain words, for an owner to decide.
    pub mismatch: Option<String>,
}

/// The idempotency key of an event a pass applies for booking `uid`.
pub fn repair_key(event: &BookingEvent) -> String {
    format!(
        "reconcile:{}:{}:{}",
        event.booking_uid.as_deref().unwrap_or("-"),
        event.trigger,
        event.at.as_millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a time")
    }

    const PASS: &str = "2026-10-05T12:00:00Z";

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

    /// Repairs `b` against `known`, then checks that a second pass over the repaired log
    /// finds nothing more to do.
    fn repaired(b: &ApiBooking, known: &[BookingEvent]) -> Repair {
        let repair = b.repair(known, at(PASS));
        let mut after = known.to_vec();
        after.extend(repair.apply.iter().cloned());
        let again = b.repair(&after, at("2026-10-05T12:15:00Z"));
        assert!(again.apply.is_empty(), "a second pass applied {again:?}");
        repair
    }

    fn logged(b: &ApiBooking) -> BookingEvent {
        b.beginning().expect("a beginning")
    }

    #[test]
    fn a_missed_booking_is_applied_with_its_whole_state() {
        use EventKind::*;
        let cases = [
            ("accepted", vec![Created]),
            ("ACCEPTED", vec![Created]),
            ("pending", vec![Requested]),
            ("rejected", vec![Requested, Rejected]),
            ("cancelled", vec![Created, Cancelled]),
        ];
        for (status, expected) in cases {
            assert_eq!(
                kinds(&repaired(&booking(status), &[]).apply),
                expected,
                "{status}"
            );
        }
        assert_eq!(repaired(&booking("awaiting_host"), &[]), Repair::default());
        let no_show = ApiBooking {
            no_show: true,
            ..booking("accepted")
        };
        assert_eq!(
            kinds(&repaired(&no_show, &[]).apply),
            [Created, NoShowMarked]
        );
    }

    #[test]
    fn a_creation_keeps_cal_coms_time_and_a_change_takes_the_pass_time() {
        let repair = repaired(&booking("cancelled"), &[]);
        assert_eq!(repair.apply[0].at, at("2026-09-20T10:00:00Z"));
        assert_eq!(repair.apply[1].at, at(PASS));
        assert_eq!(
            repair.apply[1].cancellation_reason.as_deref(),
            Some("Plans changed")
        );
        let no_reason = ApiBooking {
            cancellation_reason: Some(String::new()),
            ..booking("cancelled")
        };
        assert_eq!(repaired(&no_reason, &[]).apply[1].cancellation_reason, None);
    }

    #[test]
    fn only_what_the_log_lacks_is_applied() {
        let cancelled = booking("cancelled");
        let created = logged(&booking("accepted"));
        assert_eq!(
            kinds(&repaired(&cancelled, std::slice::from_ref(&created)).apply),
            [EventKind::Cancelled]
        );
        assert_eq!(
            repaired(&booking("accepted"), std::slice::from_ref(&created)),
            Repair::default()
        );
        // Events of another booking do not count.
        let other = BookingEvent {
            booking_uid: Some("uidZ".into()),
            ..created
        };
        assert_eq!(repaired(&cancelled, &[other]).apply.len(), 2);
    }

    #[test]
    fn a_missed_reschedule_shows_on_the_new_booking_not_as_a_cancellation_of_the_old() {
        let old = ApiBooking {
            rescheduled_to_uid: Some("uidB".into()),
            ..booking("cancelled")
        };
        let created = logged(&booking("accepted"));
        assert_eq!(
            repaired(&old, std::slice::from_ref(&created)),
            Repair::default()
        );
        let new = ApiBooking {
            uid: "uidB".into(),
            rescheduled_from_uid: Some("uidA".into()),
            created_at: at("2026-09-26T08:00:00Z"),
            ..booking("accepted")
        };
        let repair = repaired(&new, &[created]);
        assert_eq!(kinds(&repair.apply), [EventKind::Rescheduled]);
        assert_eq!(repair.apply[0].rescheduled_from.as_deref(), Some("uidA"));
        assert_eq!(repair.apply[0].at, at("2026-09-26T08:00:00Z"));
    }

    #[test]
    fn no_show_marks_and_unmarks_follow_cal_com() {
        let created = logged(&booking("accepted"));
        let marked = ApiBooking {
            no_show: true,
            ..booking("accepted")
        };
        let repair = repaired(&marked, std::slice::from_ref(&created));
        assert_eq!(kinds(&repair.apply), [EventKind::NoShowMarked]);
        // Cal.com took the mark back after the log heard of it.
        let log = vec![created.clone(), repair.apply[0].clone()];
        let repair = repaired(&booking("accepted"), &log);
        assert_eq!(kinds(&repair.apply), [EventKind::NoShowUnmarked]);
        // A confirmation of a request that never arrived.
        let requested = logged(&booking("pending"));
        assert_eq!(
            kinds(&repaired(&booking("accepted"), &[requested]).apply),
            [EventKind::Created]
        );
    }

    #[test]
    fn what_an_owner_said_or_an_impossible_step_is_a_mismatch_not_a_repair() {
        let created = logged(&booking("accepted"));
        let owner_completed = BookingEvent {
            trigger: "OWNER_MARKED_COMPLETED".into(),
            kind: EventKind::MeetingEnded,
            at: at("2026-10-02T08:00:00Z"),
            ..created.clone()
        };
        let absent = ApiBooking {
            no_show: true,
            ..booking("accepted")
        };
        let repair = absent.repair(&[created.clone(), owner_completed.clone()], at(PASS));
        assert!(repair.apply.is_empty());
        let why = repair.mismatch.expect("a mismatch");
        assert!(why.contains("no-show") && why.contains("owner"), "{why}");
        let cancelled_here = BookingEvent {
            kind: EventKind::Cancelled,
            trigger: "BOOKING_CANCELLED".into(),
            at: at("2026-09-22T08:00:00Z"),
            ..created.clone()
        };
        let repair =
            booking("accepted").repair(&[created.clone(), cancelled_here.clone()], at(PASS));
        assert!(repair.apply.is_empty());
        assert!(repair.mismatch.expect("a mismatch").contains("accepted"));
        // Taking Cal.com's state applies the one event that says it.
        let taken = booking("accepted")
            .take_state(&[created.clone(), cancelled_here], at(PASS))
            .expect("an event");
        assert_eq!((taken.kind, taken.at), (EventKind::Created, at(PASS)));
        let taken = absent
            .take_state(&[created.clone(), owner_completed], at(PASS))
            .expect("an event");
        assert_eq!(taken.kind, EventKind::NoShowMarked);
        assert_eq!(booking("accepted").take_state(&[created], at(PASS)), None);
    }

    #[test]
    fn a_change_to_an_older_booking_does_not_override_the_leads_newer_one() {
        let old_created = logged(&booking("accepted"));
        let newer = BookingEvent {
            booking_uid: Some("uidN".into()),
            at: at("2026-09-30T10:00:00Z"),
            ..old_created.clone()
        };
        let repair = repaired(&booking("cancelled"), &[old_created.clone(), newer.clone()]);
        assert_eq!(kinds(&repair.apply), [EventKind::Cancelled]);
        assert_eq!(repair.apply[0].at, at("2026-09-25T10:00:00Z"));
        let mut log = vec![old_created, newer];
        log.extend(repair.apply);
        assert_eq!(project(Stage::Invited, &log).stage, Stage::Booked);
    }

    #[test]
    fn repair_keys_name_the_booking_the_trigger_and_the_time() {
        let event = logged(&booking("accepted"));
        assert_eq!(
            repair_key(&event),
            format!(
                "reconcile:uidA:BOOKING_CREATED:{}",
                event.at.as_millisecond()
            )
        );
    }
}
