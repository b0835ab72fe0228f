//! The owners' leads as the pages and `/api/leads` show them: a page of the list, one lead
//! with every field, and its timeline. Times are RFC 3339 UTC, each with a `_local` twin in
//! the business's time zone, for people.

use serde::{Deserialize, Serialize};

use crate::domain::booking::Stage;

/// One row of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadSummary {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub source: String,
    pub stage: Stage,
    pub created_at: String,
    pub created_at_local: String,
    pub booking_status: Option<Stage>,
    pub booking_start: Option<String>,
    pub booking_start_local: Option<String>,
    pub erased: bool,
}

/// A page of the list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadPage {
    pub leads: Vec<LeadSummary>,
    /// Pass as `cursor` (with the same filters) for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// The business's time zone the window's days and the `_local` times are in.
    pub time_zone: String,
}

/// Every field of a lead (the reporting contract's columns, and when it was erased).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub source: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer: Option<String>,
    pub landing_path: Option<String>,
    pub stage: Stage,
    pub created_at: String,
    pub created_at_local: String,
    pub consented_at: String,
    pub invited_at: Option<String>,
    pub invited_at_local: Option<String>,
    pub booking_status: Option<Stage>,
    pub booking_uid: Option<String>,
    pub booking_start: Option<String>,
    pub booking_start_local: Option<String>,
    pub booking_end: Option<String>,
    pub booking_end_local: Option<String>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
    pub first_booked_at: Option<String>,
    pub first_booked_at_local: Option<String>,
    pub reschedule_count: i32,
    pub cancellation_reason: Option<String>,
    pub last_event: Option<String>,
    pub last_event_at: Option<String>,
    pub last_event_at_local: Option<String>,
    pub erased_at: Option<String>,
    pub erased_at_local: Option<String>,
}

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// The intake form was submitted.
    Submitted,
    /// The lead reached the booking page.
    Invited,
    /// A Cal.com event (or an owner's marked outcome) in the event log.
    CalEvent,
    /// A review-queue item was raised or resolved.
    Review,
    /// An owner's action, from the audit trail.
    Audit,
}

/// One thing that happened to a lead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    /// When it happened (for a Cal.com event: when we received it).
    pub at: String,
    pub at_local: String,
    /// In plain words.
    pub summary: String,
    /// A Cal.com event's trigger (`BOOKING_CREATED`…).
    pub trigger: Option<String>,
    /// A Cal.com event's own time (`createdAt`, or the meeting's time for flat bodies).
    pub event_created_at: Option<String>,
    pub event_created_at_local: Option<String>,
    /// A Cal.com event: `applied` or `held`; an owner's action or a review item: what it did.
    pub status: Option<String>,
    /// Who: `webhook`, `owner`, an owner's email, or `automation`.
    pub by: Option<String>,
    pub item_id: Option<String>,
    /// The stored event or detail, as kept (JSON for Cal.com events).
    pub body: Option<String>,
}

/// One lead and its timeline, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadView {
    pub lead: LeadDetail,
    pub timeline: Vec<TimelineEntry>,
    pub time_zone: String,
}
