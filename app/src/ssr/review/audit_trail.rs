//! The audit trail as owners read it: newest first, every time in the business's time zone.

use crate::{
    domain::local_time::owner_time,
    error::AppError,
    ssr::{
        state::AppState,
        store::audit::{self, AuditRow},
    },
    wire::review::{AuditEntry, AuditPage},
};

/// Entries per page unless asked otherwise, and at most.
pub const PAGE_ENTRIES: i64 = 50;
pub const MAX_PAGE_ENTRIES: i64 = 500;

pub fn entry(state: &AppState, row: AuditRow) -> AuditEntry {
    AuditEntry {
        id: row.id,
        at: row.at.timestamp().to_string(),
        at_local: owner_time(row.at.timestamp(), &state.settings.owners.time_zone),
        owner: row.owner_email,
        action: row.action,
        item_id: row.item_id,
        submission_id: row.submission_id,
        stage_before: row.stage_before,
        stage_after: row.stage_after,
        detail: row.detail,
    }
}

/// A page of entries older than `cursor` (an entry id) when given.
pub async fn page(
    state: &AppState,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<AuditPage, AppError> {
    let before = cursor
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("{c:?} is not an audit cursor")))
        })
        .transpose()?;
    let limit = limit.unwrap_or(PAGE_ENTRIES);
    if !(1..=MAX_PAGE_ENTRIES).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit must be from 1 to {MAX_PAGE_ENTRIES}"
        )));
    }
    let mut rows = audit::page(&state.db, before, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(AuditPage {
        entries: rows.into_iter().map(|row| entry(state, row)).collect(),
        next_cursor,
    })
}
