//! The booking page's view of a lead.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the booking page shows about the lead it was opened for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingLead {
    pub submission_id: String,
    pub first_name: String,
}

/// The lead behind a booking page; `NotFound` for a malformed or unknown id.
#[server(endpoint = "booking/lead")]
pub async fn load_booking_lead(submission_id: String) -> Result<BookingLead, AppError> {
    use crate::{
        domain::intake::first_name,
        ssr::{state::AppState, store::leads},
    };

    let Ok(id) = uuid::Uuid::parse_str(&submission_id) else {
        return Err(not_found());
    };
    let app = use_context::<AppState>().ok_or(AppError::Internal)?;
    match leads::find_greeting(&app.db, &id.as_hyphenated().to_string()).await {
        Ok(Some(lead)) => Ok(BookingLead {
            first_name: first_name(&lead.name).to_owned(),
            submission_id: lead.submission_id,
        }),
        Ok(None) => Err(not_found()),
        Err(error) => {
            tracing::error!(%error, "cannot read a lead for its booking page");
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
