//! The booking page's server functions: the lead it was opened for (which also records the
//! first visit), and the booking the webhooks have written for it.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Everything the booking page renders and hands to the Cal.com embed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPage {
    pub submission_id: String,
    pub first_name: String,
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

/// The page for one lead; `NotFound` for a malformed or unknown id. The first call for a
/// lead records its first visit (stage `invited`).
#[server(endpoint = "booking/page")]
pub async fn load_booking_page(submission_id: String) -> Result<BookingPage, AppError> {
    use crate::ssr::{booking_page, state::AppState};

    let app = use_context::<AppState>().ok_or(AppError::Internal)?;
    let Some(id) = booking_page::parse_submission_id(&submission_id) else {
        return Err(not_found());
    };
    match booking_page::open(&app, &id).await {
        Ok(Some(page)) => Ok(page),
        Ok(None) => Err(not_found()),
        Err(error) => {
            tracing::error!(%error, "cannot open a booking page");
            Err(AppError::Internal)
        }
    }
}

/// The lead's booking once the webhook for booking `uid` has been applied; `None` until
/// then. Only the database can answer yes: nothing the browser says makes a booking.
#[server(endpoint = "booking/confirmation", input = GetUrl)]
pub async fn booking_confirmation(
    submission_id: String,
    uid: String,
) -> Result<Option<ConfirmedBooking>, AppError> {
    use crate::ssr::{booking_page, state::AppState};

    let app = use_context::<AppState>().ok_or(AppError::Internal)?;
    let Some(id) = booking_page::parse_submission_id(&submission_id) else {
        return Err(not_found());
    };
    match booking_page::current_booking(&app.db, &id).await {
        Ok(booking) => Ok(booking.filter(|b| b.uid == uid)),
        Err(error) => {
            tracing::error!(%error, "cannot read a lead's booking");
            Err(AppError::Internal)
        }
    }
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    AppError::NotFound
}
