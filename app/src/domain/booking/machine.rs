//! The booking state machine: `invited → booked ⇄ rescheduled → completed | no_show |
//! cancelled`, plus `requested` (awaiting the host) and `rejected`.

use serde::{Deserialize, Serialize};

use super::event::EventKind;

/// A lead's stage. `new` and `invited` come before any booking; the others are the state of
/// the lead's booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Invited,
    Requested,
    Booked,
    Rescheduled,
    Completed,
    NoShow,
    Cancelled,
    Rejected,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::New,
        Stage::Invited,
        Stage::Requested,
        Stage::Booked,
        Stage::Rescheduled,
        Stage::Completed,
        Stage::NoShow,
        Stage::Cancelled,
        Stage::Rejected,
    ];

    /// The name stored in `leads.stage` and `leads.booking_status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Invited => "invited",
            Stage::Requested => "requested",
            Stage::Booked => "booked",
            Stage::Rescheduled => "rescheduled",
            Stage::Completed => "completed",
            Stage::NoShow => "no_show",
            Stage::Cancelled => "cancelled",
            Stage::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the stage is a booking's state (as opposed to `new`/`invited`).
    pub fn is_booking_state(self) -> bool {
        !matches!(self, Stage::New | Stage::Invited)
    }
}

/// The stage after `event`, from `stage`. `before_no_show` is the stage a no-show mark
/// replaced, which an un-mark restores.
pub fn transition(stage: Stage, event: EventKind, before_no_show: Option<Stage>) -> Stage {
    use EventKind as E;
    use Stage as S;
    match (stage, event) {
        // Informational: the booking's state does not change.
        (_, E::PaymentInitiated | E::Paid | E::MeetingStarted) => stage,
        // An un-mark restores what the mark replaced; without a mark it changes nothing.
        (S::NoShow, E::NoShowUnmarked) => before_no_show.unwrap_or(S::Booked),
        (_, E::NoShowUnmarked) => stage,
        // A meeting that ends keeps an outcome already known; otherwise it completes.
        (S::NoShow | S::Cancelled | S::Rejected, E::MeetingEnded) => stage,
        (_, E::MeetingEnded) => S::Completed,
        (_, E::NoShowMarked) => S::NoShow,
        (_, E::Requested) => S::Requested,
        (_, E::Created) => S::Booked,
        (_, E::Rescheduled) => S::Rescheduled,
        (_, E::Cancelled) => S::Cancelled,
        (_, E::Rejected) => S::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventKind as E;
    use Stage as S;

    /// Every (stage, event) pair and the stage it leads to (with no earlier no-show mark).
    const TABLE: [(Stage, [Stage; 11]); 9] = {
        // Columns in EventKind::ALL order: Requested, Created, Rescheduled, Cancelled,
        // Rejected, PaymentInitiated, Paid, MeetingStarted, MeetingEnded, NoShowMarked,
        // NoShowUnmarked.
        const fn row(s: Stage, ended: Stage) -> [Stage; 11] {
            [
                S::Requested,
                S::Booked,
                S::Rescheduled,
                S::Cancelled,
                S::Rejected,
                s,
                s,
                s,
                ended,
                S::NoShow,
                s,
            ]
        }
        [
            (S::New, row(S::New, S::Completed)),
            (S::Invited, row(S::Invited, S::Completed)),
            (S::Requested, row(S::Requested, S::Completed)),
            (S::Booked, row(S::Booked, S::Completed)),
            (S::Rescheduled, row(S::Rescheduled, S::Completed)),
            (S::Completed, row(S::Completed, S::Completed)),
            (
                S::NoShow,
                [
                    S::Requested,
                    S::Booked,
                    S::Rescheduled,
                    S::Cancelled,
                    S::Rejected,
                    S::NoShow,
                    S::NoShow,
                    S::NoShow,
                    S::NoShow,
                    S::NoShow,
                    S::Booked,
                ],
            ),
            (S::Cancelled, row(S::Cancelled, S::Cancelled)),
            (S::Rejected, row(S::Rejected, S::Rejected)),
        ]
    };

    #[test]
    fn every_stage_and_event_pair_goes_where_the_table_says() {
        for (stage, row) in TABLE {
            for (event, expected) in E::ALL.into_iter().zip(row) {
                assert_eq!(
                    transition(stage, event, None),
                    expected,
                    "{stage:?} + {event:?}"
                );
            }
        }
        assert_eq!(TABLE.len() * E::ALL.len(), 99);
    }

    #[test]
    fn an_unmark_restores_the_stage_the_mark_replaced() {
        for before in [S::Booked, S::Rescheduled, S::Completed, S::Requested] {
            let marked = transition(before, E::NoShowMarked, None);
            assert_eq!(marked, S::NoShow);
            assert_eq!(transition(marked, E::NoShowUnmarked, Some(before)), before);
        }
    }

    #[test]
    fn stage_names_round_trip() {
        for stage in S::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        assert_eq!(Stage::parse("maybe"), None);
    }
}
