//! The review items a pass raises: a booking of the form's event types that matches no lead,
//! and a difference from Cal.com no event can settle safely. Each keeps Cal.com's JSON of the
//! booking, which the queue shows and an owner's action applies.

use std::fmt::Write as _;

use crate::{
    domain::{
        reconcile::{ApiBooking, ApiStatus},
        review::ItemKind,
    },
    ssr::{
        calcom::api::Listed,
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            reconcile as store,
            review::{self as review_items, NewItem},
        },
    },
};

/// Raises `listed` as a booking without a lead, naming the newest lead with its attendee's
/// email; `true` when newly raised.
pub async fn raise_unlinked(state: &AppState, listed: &Listed) -> Result<bool, ServerError> {
    let booking = &listed.booking;
    let probable = match booking.attendee_email.as_deref() {
        Some(email) => store::lead_by_email(&state.db, email).await?,
        None => None,
    };
    let mut reason = format!(
        "Cal.com lists booking {} ({}) by {} <{}>, which matches no lead here",
        booking.uid,
        status_words(booking),
        booking.attendee_name.as_deref().unwrap_or("someone"),
        booking.attendee_email.as_deref().unwrap_or("no email"),
    );
    if let Some(lead) = &probable {
        let _ = write!(reason, "; the newest lead with that email is {lead}");
    }
    let id = ItemKind::UnlinkedBooking.item_id(&booking.uid);
    raise(
        state,
        (ItemKind::UnlinkedBooking, &id),
        None,
        &reason,
        listed,
    )
    .await
}

/// Raises the difference `why` between `listed` and lead `lead`; `true` when newly raised.
pub async fn raise_mismatch(
    state: &AppState,
    listed: &Listed,
    lead: &str,
    why: &str,
) -> Result<bool, ServerError> {
    let booking = &listed.booking;
    // One item per difference: dismissing it keeps this app's state until Cal.com's changes.
    let id = ItemKind::CalcomMismatch.item_id(&format!(
        "{}:{}",
        booking.uid,
        status_words(booking).replace(' ', "_")
    ));
    raise(
        state,
        (ItemKind::CalcomMismatch, &id),
        Some(lead),
        why,
        listed,
    )
    .await
}

async fn raise(
    state: &AppState,
    (kind, id): (ItemKind, &str),
    lead: Option<&str>,
    reason: &str,
    listed: &Listed,
) -> Result<bool, ServerError> {
    let payload = listed.json.to_string();
    let item = NewItem {
        id,
        kind,
        raised_at: DbTime::now(),
        submission_id: lead,
        booking_uid: Some(&listed.booking.uid),
        trigger: None,
        reason,
        payload: Some(&payload),
    };
    Ok(review_items::raise(&state.db, &item).await?)
}

fn status_words(booking: &ApiBooking) -> String {
    use ApiStatus as S;
    let status = match &booking.status {
        S::Accepted if booking.no_show => "no-show",
        S::Accepted => "accepted",
        S::Pending => "pending",
        S::Cancelled => "cancelled",
        S::Rejected => "rejected",
        S::Other(other) => other.as_str(),
    };
    status.to_owned()
}
