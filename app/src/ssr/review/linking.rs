//! Linking a failed delivery or a held event to a lead an owner chose, then applying it
//! through exactly the path of a live delivery: the held event is released to the lead with
//! the events held for the same booking, in Cal.com's time order among the lead's others,
//! and its booking uid joins the lead's chain so later events for it match by themselves.
//! A booking reconciliation found without a lead is applied the way a pass applies one.
//! [`find_leads`] is how an owner finds that lead: by name, email or submission id.

use jiff::Timestamp;

use crate::{
    domain::{booking::Stage, local_time::owner_time, reconcile::ApiBooking, review::ItemKind},
    error::AppError,
    ssr::{
        booking_page::parse_submission_id,
        calcom::{
            api::booking::parse_booking,
            parse::{parse_delivery, Delivery},
        },
        db::DbTime,
        reconcile,
        state::AppState,
        store::{
            events::{self, EventSource, EventStatus, LoggedEvent},
            leads::{
                self,
                list::{LeadRow, ListFilter},
            },
            review::ItemRow,
            webhook_failures,
        },
        webhooks::{apply_with_lead, replan_lead, Origin},
    },
    wire::review::LeadMatch,
};

/// The most leads one search lists.
pub const MAX_MATCHES: i64 = 10;

/// Leads an item could be linked to: the submission id `text`, or leads whose name, email or
/// company contains it; none for empty text.
pub async fn find_leads(state: &AppState, text: &str) -> Result<Vec<LeadMatch>, AppError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let zone = &state.settings.owners.time_zone;
    let text = text.trim();
    // The exact submission id first, then what the lead list's search finds (its indexes).
    let mut rows = Vec::new();
    if let Some(id) = parse_submission_id(text) {
        rows.extend(leads::detail::lead(&state.db, &id).await?);
    }
    let filter = ListFilter {
        q: Some(text.to_lowercase()),
        ..ListFilter::default()
    };
    for row in leads::list::page(&state.db, &filter, None, MAX_MATCHES).await? {
        if rows.len() < MAX_MATCHES as usize
            && !rows
                .iter()
                .any(|r: &LeadRow| r.submission_id == row.submission_id)
        {
            rows.push(row);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| LeadMatch {
            created_at_local: owner_time(row.created_at.timestamp(), zone),
            submission_id: row.submission_id,
            name: row.name,
            email: row.email,
            source: row.source,
            stage: row.stage,
        })
        .collect())
}

/// Applies the item's event to lead `submission_id`; answers the lead's stage afterwards.
pub async fn link(
    state: &AppState,
    row: &ItemRow,
    kind: ItemKind,
    submission_id: &str,
) -> Result<Stage, AppError> {
    if kind == ItemKind::UnlinkedBooking {
        let booking = listed_booking(row)?;
        reconcile::pass::apply_to_lead(state, &booking, submission_id, Timestamp::now()).await?;
        return current_stage(state, submission_id).await;
    }
    let id: i64 = ItemKind::key_of(&row.id)
        .and_then(|key| key.parse().ok())
        .ok_or(AppError::NotFound)?;
    let logged = match kind {
        ItemKind::HeldEvent => events::by_id(&state.db, id).await?,
        _ => {
            let failure = webhook_failures::get(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let raw = failure
                .raw_body
                .unwrap_or_else(|| failure.body.into_bytes());
            let key = failure.body_sha256.unwrap_or_default();
            match events::by_key(&state.db, &key).await? {
                Some(logged) => Some(logged),
                None => return apply_failed_body(state, &raw, &key, submission_id).await,
            }
        }
    };
    let logged = logged.ok_or(AppError::NotFound)?;
    release(state, &logged, submission_id).await
}

/// Releases a held event to the lead.
async fn release(
    state: &AppState,
    logged: &LoggedEvent,
    submission_id: &str,
) -> Result<Stage, AppError> {
    if logged.discarded_at.is_some() {
        return Err(AppError::Conflict("the event was discarded".into()));
    }
    if logged.status == EventStatus::Applied {
        return match logged.submission_id.as_deref() {
            // Applied to this lead already (a repeated link): nothing changes.
            Some(lead) if lead == submission_id => current_stage(state, submission_id).await,
            _ => Err(AppError::Conflict(
                "the event was applied to another lead meanwhile".into(),
            )),
        };
    }
    let uid = logged.link_uid.as_deref();
    let replanned = replan_lead(state, submission_id, [uid, None])
        .await?
        .ok_or(AppError::NotFound)?;
    if !replanned.released.contains(&logged.id) {
        return Err(AppError::Conflict(
            "the event could not be released to that lead; it may have been applied meanwhile"
                .into(),
        ));
    }
    Ok(replanned.stage)
}

/// A failed delivery whose event was never logged: applied as a live delivery would be, for
/// the chosen lead.
async fn apply_failed_body(
    state: &AppState,
    raw: &[u8],
    key: &str,
    submission_id: &str,
) -> Result<Stage, AppError> {
    let Ok(Delivery::Booking(mut event)) = parse_delivery(raw, Timestamp::now()) else {
        return Err(AppError::Unprocessable(
            "this delivery is not a Cal.com booking event, so it cannot be applied to a lead; \
             it can only be discarded"
                .into(),
        ));
    };
    event.submission_id = Some(submission_id.to_owned());
    let origin = Origin {
        key,
        source: EventSource::Webhook,
        raw_body: Some(raw),
    };
    apply_with_lead(state, origin, &event, DbTime::now()).await?;
    current_stage(state, submission_id).await
}

/// The booking an item raised by reconciliation keeps, as Cal.com's API listed it.
pub fn listed_booking(row: &ItemRow) -> Result<ApiBooking, AppError> {
    let json: serde_json::Value = row
        .payload
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| AppError::Unprocessable("this item keeps no booking to apply".into()))?;
    parse_booking(&json).map_err(|why| {
        AppError::Unprocessable(format!("the booking this item keeps cannot be read: {why}"))
    })
}

async fn current_stage(state: &AppState, submission_id: &str) -> Result<Stage, AppError> {
    Ok(leads::stored_booking(&state.db, submission_id)
        .await?
        .ok_or(AppError::NotFound)?
        .stage)
}
