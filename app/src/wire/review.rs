//! The review queue as the page and `GET /api/review` show it, and the audit trail.

use serde::{Deserialize, Serialize};

use crate::domain::{
    booking::Stage,
    review::{ActionName, ItemKind},
};

/// One thing for an owner to settle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Stable: `failure:12`, `held:34`, `overdue:<booking uid>`, `not_booked:<submission id>`…
    pub id: String,
    pub kind: ItemKind,
    /// What is wrong, in plain words.
    pub reason: String,
    /// When the item arose (RFC 3339, UTC)…
    pub created_at: String,
    /// …and the same in the business's time zone, for people.
    pub created_at_local: String,
    pub submission_id: Option<String>,
    pub booking_uid: Option<String>,
    pub trigger: Option<String>,
    /// The lead it concerns, when there is one.
    pub lead: Option<ItemLead>,
    /// What the delivery or event says, for failed deliveries and held events.
    pub delivery: Option<DeliveryDetail>,
    /// What an owner can do with it.
    pub actions: Vec<ActionName>,
    /// Hidden until then (RFC 3339, UTC).
    pub snoozed_until: Option<String>,
    pub resolution: Option<ItemResolution>,
}

/// The lead of an item, as the queue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLead {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub source: String,
    pub stage: Stage,
    /// The last Cal.com event applied to it, and when (business time zone).
    pub last_action: Option<String>,
    pub last_action_at_local: Option<String>,
}

/// What a delivery or a held event says about its booking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryDetail {
    pub attendee_name: Option<String>,
    pub attendee_email: Option<String>,
    /// The slot's start, RFC 3339 UTC and in the business's time zone.
    pub slot_start: Option<String>,
    pub slot_start_local: Option<String>,
    /// The body as received (as text; bytes that are not UTF-8 are replaced).
    pub body: Option<String>,
}

/// How an item was settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResolution {
    pub at: String,
    /// The owner's email, or `automation` when the condition cleared by itself.
    pub by: String,
    pub resolution: String,
    pub reason: Option<String>,
}

/// A page of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub items: Vec<ReviewItem>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Open items per kind (all of them, whatever the filter).
    pub open: Vec<KindCount>,
    pub unsigned_refused: RefusedCount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: ItemKind,
    pub count: i64,
}

/// Deliveries refused for their signature (counted by this server process, in memory).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedCount {
    pub last_24h: u64,
    pub missing_signature: u64,
    pub bad_signature: u64,
}

/// One owner action, as the audit page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub at_local: String,
    pub owner: String,
    pub action: String,
    pub item_id: Option<String>,
    pub submission_id: Option<String>,
    pub stage_before: Option<Stage>,
    pub stage_after: Option<Stage>,
    pub detail: Option<String>,
}

/// A page of the audit trail, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// What became of one item of a bulk action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    pub id: String,
    /// The HTTP status the action alone would have answered.
    pub status: u16,
    pub error: Option<String>,
}

/// The review page's data: a page of the queue, and the zone its times are in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewScreen {
    pub page: ReviewPage,
    /// The business's IANA time zone, as owners are told it.
    pub time_zone: String,
}

/// The audit page's data: a page of the trail, and the zone its times are in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditScreen {
    pub page: AuditPage,
    pub time_zone: String,
}

/// A lead an item could be linked to, as the "find a lead" box lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadMatch {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub source: String,
    pub stage: Stage,
    /// When the lead came in, in the business's time zone.
    pub created_at_local: String,
}
