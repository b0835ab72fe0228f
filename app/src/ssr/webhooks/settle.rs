//! The sweep that catches events held while their booking became known in a concurrent
//! write (a race the application itself cannot see): it applies them to their lead.

use crate::{
    domain::booking::project,
    ssr::{
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::events::{self, commit_applied, read_for_apply, ApplyPlan, Commit},
        webhooks::apply::{gather_released, MAX_ATTEMPTS},
    },
};

/// Applies events that were held while their booking became known in a concurrent write (a
/// race the application itself cannot see). Answers how many leads it settled.
pub async fn settle_held_events(state: &AppState) -> Result<usize, ServerError> {
    let pending = events::held_but_known(&state.db).await?;
    let now = DbTime::now();
    for (uid, submission_id) in &pending {
        for _ in 0..MAX_ATTEMPTS {
            let context = read_for_apply(
                &state.db,
                None,
                Some(submission_id),
                None,
                [Some(uid), None],
            )
            .await?;
            let Some(lead) = context.lead else { break };
            let mut links = Vec::new();
            let released = gather_released(state, &lead, context.held, &mut links).await?;
            let mut history = lead.history.clone();
            history.extend(released.iter().map(|h| h.event.clone()));
            let projection = project(lead.pre_booking_stage, &history);
            let plan = ApplyPlan {
                submission_id: &lead.submission_id,
                event_version: lead.event_version,
                new_event: None,
                links,
                release: released.iter().map(|h| h.id).collect(),
                projection: &projection,
                now,
            };
            if commit_applied(&state.db, &plan).await? == Commit::Done {
                state.changes.notify();
                break;
            }
        }
    }
    Ok(pending.len())
}
