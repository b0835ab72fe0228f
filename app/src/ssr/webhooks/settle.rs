//! Writing a lead again from its event log (plus the events held for given booking uids, and
//! those they release in turn), through the same plan-and-commit path as a live delivery:
//! the sweep that catches a hold that raced its booking, linking a held event to a lead, and
//! re-projecting a lead whose stored fields drifted from its events.

use crate::{
    domain::booking::{project, Stage},
    ssr::{
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::events::{self, commit_applied, read_for_apply, ApplyPlan, Commit},
        webhooks::apply::{gather_released, MAX_ATTEMPTS},
    },
};

/// What writing a lead again did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replanned {
    /// The held events it applied to the lead.
    pub released: Vec<i64>,
    /// The lead's stage afterwards.
    pub stage: Stage,
}

/// Writes lead `submission_id` from its history and the events held for `uids` (and the ones
/// those release); `None` for an unknown lead.
pub async fn replan_lead(
    state: &AppState,
    submission_id: &str,
    uids: [Option<&str>; 2],
) -> Result<Option<Replanned>, ServerError> {
    let now = DbTime::now();
    for _ in 0..MAX_ATTEMPTS {
        let context = read_for_apply(&state.db, None, Some(submission_id), None, uids).await?;
        let Some(lead) = context.lead else {
            return Ok(None);
        };
        let mut links = Vec::new();
        let released = gather_released(state, &lead, context.held, &mut links).await?;
        let mut history = lead.history.clone();
        history.extend(released.iter().map(|h| h.event.clone()));
        let projection = project(lead.pre_booking_stage, &history);
        let release: Vec<i64> = released.iter().map(|h| h.id).collect();
        let plan = ApplyPlan {
            submission_id: &lead.submission_id,
            event_version: lead.event_version,
            new_event: None,
            links,
            release: release.clone(),
            projection: &projection,
            now,
        };
        if commit_applied(&state.db, &plan).await? == Commit::Done {
            state.changes.notify();
            return Ok(Some(Replanned {
                released: release,
                stage: projection.stage,
            }));
        }
    }
    Err(ServerError::KeptChanging {
        what: "a lead, while it was written from its event log,",
        attempts: MAX_ATTEMPTS,
    })
}

/// Applies events that were held while their booking became known in a concurrent write (a
/// race the application itself cannot see). Answers how many leads it settled.
pub async fn settle_held_events(state: &AppState) -> Result<usize, ServerError> {
    let pending = events::held_but_known(&state.db).await?;
    for (uid, submission_id) in &pending {
        replan_lead(state, submission_id, [Some(uid), None]).await?;
    }
    Ok(pending.len())
}
