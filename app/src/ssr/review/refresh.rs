//! Bringing the review queue up to date: raising what newly meets a condition (held events
//! past their wait, slots overdue for an outcome, leads who never booked, sync gaps) and
//! resolving what cleared by itself. Runs in the background and, at most every few seconds,
//! before the queue is read, so a page shows the queue as it is.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::ssr::{
    db::DbTime,
    error::ServerError,
    review::sync_check,
    state::AppState,
    store::review::{
        raise::{self, Candidates},
        sweep, watermarks,
    },
};

/// How stale the queue may be when a page reads it.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// The account counts as sending outcome events when one arrived this recently.
const OUTCOMES_LOOK_BACK: SignedDuration = SignedDuration::from_hours(30 * 24);

const OVERDUE_WATERMARK: &str = "overdue_outcome_slot_end";
const NOT_BOOKED_WATERMARK: &str = "not_booked_invited_at";
/// Each check looks back this far before its watermark (items are raised once, by id), for a
/// booking that became known a few days after its slot ended, or a lead written a moment
/// before the previous check read.
const OVERDUE_OVERLAP: Duration = Duration::from_secs(7 * 86_400);
const NOT_BOOKED_OVERLAP: Duration = Duration::from_secs(86_400);
/// Candidates raised per statement.
const BATCH: i64 = 2_000;

/// Brings the queue up to date unless this process did so in the last few seconds.
pub async fn refresh_if_stale(state: &AppState) -> Result<(), ServerError> {
    if let Some(turn) = state.review.stale(FRESH_FOR).await {
        refresh(state, Timestamp::now()).await?;
        turn.done();
    }
    Ok(())
}

fn before(now: Timestamp, wait: Duration) -> DbTime {
    let wait = SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX);
    DbTime::new(now.checked_sub(wait).unwrap_or(Timestamp::MIN))
}

/// Raises and resolves everything as of `now`.
pub async fn refresh(state: &AppState, now: Timestamp) -> Result<(), ServerError> {
    let (db, settings) = (&state.db, &state.settings.review);
    raise::held_events(db, before(now, settings.held_event_after)).await?;

    // Slots are checked as their end passes the wait; while the account sends no outcomes
    // they are not, but the slots of the last 30 days stay due for when outcomes arrive.
    let overdue_cutoff = before(now, settings.outcome_overdue_after);
    let sends_outcomes = settings.outcome_overdue_explicit
        || raise::outcome_event_since(db, before(now, OUTCOMES_LOOK_BACK.unsigned_abs())).await?;
    let hours = settings.outcome_overdue_after.as_secs() / 3600;
    let overdue_reason = format!(
        "the slot ended more than {hours} hours ago and no completed or no-show event came"
    );
    if sends_outcomes {
        let after = watermark(state, OVERDUE_WATERMARK, OVERDUE_OVERLAP).await?;
        let range = (after, overdue_cutoff);
        let (candidates, reason) = (Candidates::SlotsEnded, overdue_reason.as_str());
        raise_in_batches(state, candidates, OVERDUE_WATERMARK, range, reason).await?;
    } else {
        let floor = before(
            overdue_cutoff.timestamp(),
            OUTCOMES_LOOK_BACK.unsigned_abs(),
        );
        let position = watermarks::time_position(floor);
        watermarks::advance(db, OVERDUE_WATERMARK, &position).await?;
    }

    let follow_up_cutoff = before(now, settings.follow_up_after);
    let after = watermark(state, NOT_BOOKED_WATERMARK, NOT_BOOKED_OVERLAP).await?;
    let days = settings.follow_up_after.as_secs() / 86_400;
    let reason = format!("invited more than {days} days ago and never booked");
    let range = (after, follow_up_cutoff);
    raise_in_batches(
        state,
        Candidates::Invited,
        NOT_BOOKED_WATERMARK,
        range,
        &reason,
    )
    .await?;

    let now = DbTime::new(now);
    sync_check::check_changed(state, now).await?;
    sync_check::recheck_open(state, now).await?;
    sweep::cleared(db, now).await?;
    Ok(())
}

/// Raises the candidates in `after < t ≤ cutoff` a batch at a time, moving the watermark on
/// after each (so a restart goes on from there) and letting other writers in between.
async fn raise_in_batches(
    state: &AppState,
    candidates: Candidates,
    name: &str,
    (mut after, cutoff): (DbTime, DbTime),
    reason: &str,
) -> Result<(), ServerError> {
    let db = &state.db;
    loop {
        let end = raise::batch_end(db, candidates, (after, cutoff), BATCH).await?;
        match candidates {
            Candidates::SlotsEnded => raise::overdue_outcomes(db, after, end, reason).await?,
            Candidates::Invited => raise::not_booked(db, after, end, reason).await?,
        };
        watermarks::advance(db, name, &watermarks::time_position(end)).await?;
        if end >= cutoff {
            return Ok(());
        }
        after = end;
        tokio::task::yield_now().await;
    }
}

/// Where a time watermark stands, less `overlap`; the start of time before the first check.
async fn watermark(state: &AppState, name: &str, overlap: Duration) -> Result<DbTime, ServerError> {
    Ok(watermarks::get(&state.db, name)
        .await?
        .and_then(|p| watermarks::position_time(&p))
        .map(|at| before(at.timestamp(), overlap))
        .unwrap_or(DbTime::new(Timestamp::UNIX_EPOCH)))
}
