//! An owner's action on an item: checked against the item (unknown: 404, resolved: 409, does
//! not fit: 422), carried out through the same code paths as the automation, and recorded
//! with the item's resolution in the audit trail.

use jiff::{SignedDuration, Timestamp};

use crate::{
    domain::{
        booking::Stage,
        review::{ItemKind, ReviewAction},
    },
    error::AppError,
    ssr::{
        auth::Owner,
        booking_page::parse_submission_id,
        db::DbTime,
        reconcile,
        review::{
            linking::{link, listed_booking},
            queue::item,
        },
        state::AppState,
        store::{
            audit::{self, NewEntry},
            events, leads,
            review::{self, sweep, ItemRow, Resolution},
            webhook_failures,
        },
        webhooks::{apply_owner_outcome, replan_lead, OwnerOutcome},
    },
    wire::review::ReviewItem,
};

/// What an action did to the item's lead, for the audit trail.
struct Done {
    submission_id: Option<String>,
    stage_before: Option<Stage>,
    stage_after: Option<Stage>,
    /// The item's resolution, or `None` when it stays open (a snooze).
    resolution: Option<&'static str>,
    detail: Option<String>,
}

/// Carries out `action` on item `id` for `owner`; answers the item afterwards.
pub async fn act(
    state: &AppState,
    owner: &Owner,
    id: &str,
    action: ReviewAction,
) -> Result<ReviewItem, AppError> {
    let kind = ItemKind::of_item_id(id).ok_or(AppError::NotFound)?;
    let row = review::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let (Some(at), Some(resolution)) = (row.resolved_at, row.resolution.as_deref()) {
        return Err(AppError::Conflict(format!(
            "{id} was resolved already ({resolution}, by {}, at {})",
            row.resolved_by.as_deref().unwrap_or("someone"),
            at.timestamp()
        )));
    }
    let action = action
        .fitting(kind)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let now = Timestamp::now();
    let done = carry_out(state, &row, kind, &action, now).await?;

    let mut tx = state.db.begin().await?;
    let at = DbTime::new(now);
    if let Some(resolution) = done.resolution {
        let reason = match &action {
            ReviewAction::Discard { reason } | ReviewAction::Dismiss { reason } => {
                Some(reason.as_str())
            }
            _ => done.detail.as_deref(),
        };
        let how = Resolution {
            at,
            by: &owner.email,
            resolution,
            reason,
        };
        review::resolve_in(&mut tx, id, &how).await?;
        if let (ItemKind::FailedDelivery, Some(failure)) = (kind, number_key(id)) {
            webhook_failures::resolve_in(&mut tx, failure, resolution, at).await?;
        }
    }
    let detail = match &action {
        ReviewAction::Discard { reason } | ReviewAction::Dismiss { reason } => Some(reason.clone()),
        ReviewAction::Snooze { days } => Some(format!("for {days} days")),
        _ => done.detail.clone(),
    };
    let entry = NewEntry {
        at,
        owner_id: &owner.id,
        owner_email: &owner.email,
        action: action.name().as_str(),
        item_id: Some(id),
        submission_id: done.submission_id.as_deref(),
        stage_before: done.stage_before,
        stage_after: done.stage_after,
        detail: detail.as_deref(),
    };
    audit::record_in(&mut tx, &entry).await?;
    tx.commit().await?;
    // What the action settled by the way (a held event released with the one linked).
    sweep::cleared(&state.db, at).await?;
    state.changes.notify();
    item(state, id).await
}

/// The number an item id ends with (`failure:12`, `held:34`).
fn number_key(id: &str) -> Option<i64> {
    ItemKind::key_of(id)?.parse().ok()
}

async fn carry_out(
    state: &AppState,
    row: &ItemRow,
    kind: ItemKind,
    action: &ReviewAction,
    now: Timestamp,
) -> Result<Done, AppError> {
    let stage_now = row.lead_stage;
    let unchanged = |resolution| Done {
        submission_id: row.submission_id.clone(),
        stage_before: stage_now,
        stage_after: stage_now,
        resolution,
        detail: None,
    };
    Ok(match action {
        ReviewAction::Link { submission_id } => {
            let lead = parse_submission_id(submission_id).ok_or_else(|| {
                AppError::Unprocessable(format!("{submission_id:?} is not a submission id"))
            })?;
            let before = leads::stored_booking(&state.db, &lead)
                .await?
                .ok_or_else(|| {
                    AppError::Unprocessable(format!("no lead has submission id {lead}"))
                })?
                .stage;
            let after = link(state, row, kind, &lead).await?;
            Done {
                detail: Some(format!("applied to lead {lead}")),
                submission_id: Some(lead),
                stage_before: Some(before),
                stage_after: Some(after),
                resolution: Some("linked"),
            }
        }
        ReviewAction::Discard { .. } => {
            discard(state, row, kind, now).await?;
            unchanged(Some("discarded"))
        }
        ReviewAction::MarkCompleted | ReviewAction::MarkNoShow => {
            let (Some(lead), Some(uid)) =
                (row.submission_id.as_deref(), row.booking_uid.as_deref())
            else {
                return Err(AppError::Unprocessable(
                    "this item names no booking to mark".into(),
                ));
            };
            let outcome = if *action == ReviewAction::MarkCompleted {
                OwnerOutcome::Completed
            } else {
                OwnerOutcome::NoShow
            };
            let key = format!("owner:{}:{}", row.id, action.name().as_str());
            apply_owner_outcome(state, (lead, uid), outcome, &key, now).await?;
            let after = leads::stored_booking(&state.db, lead)
                .await?
                .map(|b| b.stage);
            Done {
                stage_after: after,
                detail: Some(format!("{} for booking {uid}", outcome.trigger())),
                ..unchanged(Some(action.name().as_str()))
            }
        }
        ReviewAction::Reproject => {
            let lead = row.submission_id.as_deref().ok_or(AppError::NotFound)?;
            let replanned = replan_lead(state, lead, [None, None])
                .await?
                .ok_or(AppError::NotFound)?;
            Done {
                stage_after: Some(replanned.stage),
                ..unchanged(Some("reprojected"))
            }
        }
        ReviewAction::Dismiss { .. } => unchanged(Some("dismissed")),
        ReviewAction::TakeCalcom => {
            let lead = row.submission_id.as_deref().ok_or(AppError::NotFound)?;
            let booking = listed_booking(row)?;
            let changed = reconcile::pass::take_state(state, &booking, lead, now).await?;
            let after = leads::stored_booking(&state.db, lead)
                .await?
                .map(|b| b.stage);
            Done {
                stage_after: after,
                detail: Some(if changed {
                    format!("booking {} brought to Cal.com's state", booking.uid)
                } else {
                    format!("booking {} already agreed with Cal.com", booking.uid)
                }),
                ..unchanged(Some("took_calcom_state"))
            }
        }
        ReviewAction::Snooze { days } => {
            let until = now
                .checked_add(SignedDuration::from_hours(i64::from(*days) * 24))
                .unwrap_or(now);
            let mut tx = state.db.begin().await?;
            review::snooze_in(&mut tx, &row.id, DbTime::new(until)).await?;
            tx.commit().await?;
            unchanged(None)
        }
    })
}

/// Discards a failed delivery (and the event held for it, so it is never applied) or a held
/// event.
async fn discard(
    state: &AppState,
    row: &ItemRow,
    kind: ItemKind,
    now: Timestamp,
) -> Result<(), AppError> {
    // A booking Cal.com listed has nothing logged here to set aside.
    if kind == ItemKind::UnlinkedBooking {
        return Ok(());
    }
    let id = number_key(&row.id).ok_or(AppError::NotFound)?;
    let at = DbTime::new(now);
    let held = match kind {
        ItemKind::FailedDelivery => {
            let failure = webhook_failures::get(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            match failure.body_sha256 {
                Some(key) => events::by_key(&state.db, &key).await?,
                None => None,
            }
        }
        _ => events::by_id(&state.db, id).await?,
    };
    let mut tx = state.db.begin().await?;
    let discarded = match &held {
        Some(event) => events::discard_in(&mut tx, event.id, at).await?,
        None => false,
    };
    if kind == ItemKind::HeldEvent && !discarded {
        return Err(AppError::Conflict(
            "the event is no longer held: it was applied or discarded meanwhile".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}
