//! The requests, actions, outcomes and errors of [`crate::actions`].

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::Deserialize;

use crate::{
    booking::{Booking, Status},
    webhook::Webhook,
};

/// A booking request: the booker page's POST, the CLI's `book`, the dashboard's form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NewBooking {
    /// The event link [default: the first known].
    pub link: Option<String>,
    pub name: String,
    pub email: String,
    /// Slot start [default: the next free slot].
    pub start: Option<String>,
    pub time_zone: Option<String>,
    pub notes: String,
    pub guests: Vec<String>,
    /// The booker's `metadata[<k>]` values.
    pub metadata: BTreeMap<String, String>,
    /// A reschedule of this booking, made through the booker page.
    pub reschedule_uid: Option<String>,
    #[serde(alias = "requires_confirmation")]
    pub requires_confirmation: bool,
    /// Book as if Cal.com had lost the embed's metadata: the booking, and so its webhooks,
    /// carry none (no `submissionId`), however the booker was opened.
    #[serde(alias = "lose_metadata")]
    pub lose_metadata: bool,
}

/// The options of an action on a booking.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    /// Cancellation or rejection reason.
    pub reason: Option<String>,
    /// New slot for a reschedule.
    pub start: Option<String>,
    /// MEETING_*: the old flat body.
    pub flat: bool,
    /// Skip the status check.
    pub force: bool,
}

/// A booking as it now is, and the webhooks the change produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub booking: Booking,
    pub webhooks: Vec<Webhook>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ActionError {
    NotFound(String),
    Conflict(String),
    Invalid(String),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NotFound(what)
            | ActionError::Conflict(what)
            | ActionError::Invalid(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ActionError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Reschedule,
    Cancel,
    Confirm,
    Reject,
    MeetingStarted,
    MeetingEnded,
    NoShow,
    NoShowUndo,
    HostNoShow,
    GuestNoShow,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Reschedule,
        Action::Cancel,
        Action::Confirm,
        Action::Reject,
        Action::MeetingStarted,
        Action::MeetingEnded,
        Action::NoShow,
        Action::NoShowUndo,
        Action::HostNoShow,
        Action::GuestNoShow,
    ];

    /// The path segment / CLI name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Reschedule => "reschedule",
            Action::Cancel => "cancel",
            Action::Confirm => "confirm",
            Action::Reject => "reject",
            Action::MeetingStarted => "meeting-started",
            Action::MeetingEnded => "meeting-ended",
            Action::NoShow => "no-show",
            Action::NoShowUndo => "no-show-undo",
            Action::HostNoShow => "host-no-show",
            Action::GuestNoShow => "guest-no-show",
        }
    }

    /// Whether Cal.com would do this to a booking in `status`.
    pub(super) fn allowed(self, status: Status) -> bool {
        match self {
            Action::Reschedule | Action::Cancel => status.is_active(),
            Action::Confirm | Action::Reject => status == Status::Pending,
            _ => status == Status::Accepted,
        }
    }
}

impl FromStr for Action {
    type Err = ActionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| ActionError::NotFound(format!("no action {s:?}")))
    }
}
