//! The booking page's server functions: the lead it was opened for (which also records the
//! first visit), and the booking the webhooks have written for it.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use crate::{
    error::AppError,
    wire::booking::{BookingView, ConfirmedBooking},
};

/// The page for one lead; `NotFound` for a malformed or unknown id. The first call for a
/// lead records its first visit (stage `invited`).
#[server(endpoint = "booking/page")]
pub async fn load_booking_page(submission_id: String) -> Result<BookingView, AppError> {
    use crate::ssr::{
        booking_page,
        respond::{app_state, respond},
    };

    respond(async move {
        let app = app_state()?;
        let id = booking_page::parse_submission_id(&submission_id).ok_or(AppError::NotFound)?;
        booking_page::open(&app, &id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The lead's booking once the webhook for booking `uid` has been applied; `None` until
/// then. Only the database can answer yes: nothing the browser says makes a booking.
#[server(endpoint = "booking/confirmation", input = GetUrl)]
pub async fn booking_confirmation(
    submission_id: String,
    uid: String,
) -> Result<Option<ConfirmedBooking>, AppError> {
    use crate::ssr::{
        booking_page,
        respond::{app_state, respond},
    };

    respond(async move {
        let app = app_state()?;
        let id = booking_page::parse_submission_id(&submission_id).ok_or(AppError::NotFound)?;
        let booking = booking_page::current_booking(&app.db, &id).await?;
        Ok(booking.filter(|b| b.uid == uid))
    })
    .await
}
