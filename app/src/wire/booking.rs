//! What the booking page renders for one lead.

use serde::{Deserialize, Serialize};

/// Everything the booking page renders and hands to the Cal.com embed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    pub submission_id: String,
    /// Whom the page greets; `None` once the link is older than `BOOKING_LINK_DAYS`.
    pub first_name: Option<String>,
    pub embed: EmbedSetup,
    /// The booking the database holds for this lead, when it is current.
    pub booking: Option<ConfirmedBooking>,
}

/// How the inline embed is set up, and where the plain booking link goes when it cannot be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSetup {
    pub script_url: String,
    /// Given to the embed's `init`; it derives the booker's frame origin from it.
    pub origin: String,
    pub cal_link: String,
    /// The booker's prefill; empty once the link is older than `BOOKING_LINK_DAYS`.
    pub name: String,
    pub email: String,
    /// The public booking page with the same prefill and metadata as the embed.
    pub fallback_url: String,
}

/// A booking as the database holds it, put into words for the person who made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedBooking {
    pub uid: String,
    /// `false` while the host has still to accept a requested booking.
    pub accepted: bool,
    /// RFC 3339, UTC: for `<time datetime>`.
    pub start_utc: String,
    /// The slot in the attendee's own time zone, e.g. "Tuesday 1 December 2026, 10:00–10:30
    /// (Europe/Ljubljana)".
    pub when: String,
}
