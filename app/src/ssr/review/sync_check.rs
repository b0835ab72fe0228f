//! Sync gaps: a lead whose stored booking fields disagree with the projection of its own
//! event log. Checked incrementally, for the leads whose log grew since the last check (the
//! event log's ids are the watermark), and again for the leads with an open gap, never by
//! re-projecting every lead.

use crate::{
    domain::{booking::project, review::ItemKind},
    ssr::{
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            events::{applied_after, read_for_apply},
            leads,
            review::{self, sweep, watermarks, NewItem, Resolution},
        },
    },
};

const WATERMARK: &str = "sync_gap_event_id";
/// Events read per check.
const BATCH: i64 = 2_000;
/// Ids allocated before the watermark may commit after it was read; look back this far.
const OVERLAP: i64 = 200;

/// The fields in which lead `submission_id`'s stored booking disagrees with its event log,
/// with its event version; `None` for an unknown lead.
pub async fn gap_of(
    state: &AppState,
    submission_id: &str,
) -> Result<Option<(Vec<&'static str>, i64)>, ServerError> {
    let context = read_for_apply(&state.db, None, Some(submission_id), None, [None, None]).await?;
    let Some(lead) = context.lead else {
        return Ok(None);
    };
    let Some(stored) = leads::stored_booking(&state.db, submission_id).await? else {
        return Ok(None);
    };
    let expected = project(lead.pre_booking_stage, &lead.history);
    Ok(Some((stored.differences(&expected), lead.event_version)))
}

/// Checks the leads whose event log grew since the last check; raises a gap item for each
/// that disagrees. Answers how many items it raised.
pub async fn check_changed(state: &AppState, now: DbTime) -> Result<u64, ServerError> {
    let db = &state.db;
    let after = watermarks::get(db, WATERMARK)
        .await?
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    let events = applied_after(db, (after - OVERLAP).max(0), BATCH).await?;
    let Some(last) = events.last().map(|(id, _)| *id) else {
        return Ok(0);
    };
    let mut leads: Vec<&str> = events.iter().map(|(_, lead)| lead.as_str()).collect();
    leads.sort_unstable();
    leads.dedup();
    let mut raised = 0;
    for submission_id in leads {
        if let Some((fields, version)) = gap_of(state, submission_id).await? {
            if !fields.is_empty() {
                raised += u64::from(raise_gap(state, submission_id, &fields, version, now).await?);
            }
        }
    }
    // The follow-ups and overdue outcomes these leads may have cleared.
    sweep::cleared_for_changed_leads(db, now, ((after - OVERLAP).max(0), last)).await?;
    watermarks::advance(db, WATERMARK, &watermarks::id_position(last)).await?;
    Ok(raised)
}

async fn raise_gap(
    state: &AppState,
    submission_id: &str,
    fields: &[&str],
    version: i64,
    now: DbTime,
) -> Result<bool, ServerError> {
    let id = ItemKind::SyncGap.item_id(&format!("{submission_id}:{version}"));
    let reason = format!(
        "the lead's stored {} disagree with what its own event log says",
        fields.join(", ")
    );
    let item = NewItem {
        id: &id,
        kind: ItemKind::SyncGap,
        raised_at: now,
        submission_id: Some(submission_id),
        booking_uid: None,
        trigger: None,
        reason: &reason,
        payload: None,
    };
    Ok(review::raise(&state.db, &item).await?)
}

/// Resolves open gap items whose lead agrees with its log again.
pub async fn recheck_open(state: &AppState, now: DbTime) -> Result<u64, ServerError> {
    let open = review::page(&state.db, Some(ItemKind::SyncGap), None, now, 500).await?;
    let mut resolved = 0;
    for item in open {
        let Some(submission_id) = item.submission_id.as_deref() else {
            continue;
        };
        let agrees = gap_of(state, submission_id)
            .await?
            .is_some_and(|(fields, _)| fields.is_empty());
        if agrees {
            let how = Resolution {
                at: now,
                by: sweep::AUTOMATION,
                resolution: "in_sync",
                reason: None,
            };
            let mut tx = state.db.begin().await?;
            resolved += u64::from(review::resolve_in(&mut tx, &item.id, &how).await?);
            tx.commit().await?;
        }
    }
    Ok(resolved)
}
