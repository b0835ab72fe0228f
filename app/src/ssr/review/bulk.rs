//! Bulk actions on the queue (mark completed, dismiss, discard…): each item is acted on, and
//! audited, on its own, so one that no longer fits does not stop the others.

use crate::{
    domain::review::{ItemKind, ReviewAction},
    error::AppError,
    ssr::{auth::Owner, db::DbTime, review::act::act, state::AppState, store::review},
    wire::review::BulkResult,
};

/// The most items one bulk request acts on.
pub const MAX_BULK: usize = 500;

/// Which items a bulk action is for: these ids, or the open items of a kind.
pub enum Selection {
    Ids(Vec<String>),
    OpenOfKind(ItemKind),
}

/// Carries out `action` on each selected item (at most [`MAX_BULK`]).
pub async fn act_on_each(
    state: &AppState,
    owner: &Owner,
    selection: Selection,
    action: &ReviewAction,
) -> Result<Vec<BulkResult>, AppError> {
    let ids = match selection {
        Selection::Ids(ids) if ids.len() > MAX_BULK => {
            return Err(AppError::BadRequest(format!(
                "at most {MAX_BULK} items at a time"
            )))
        }
        Selection::Ids(ids) => ids,
        Selection::OpenOfKind(kind) => {
            let limit = MAX_BULK as i64;
            review::page(&state.db, Some(kind), None, DbTime::now(), limit)
                .await?
                .into_iter()
                .map(|row| row.id)
                .collect()
        }
    };
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let outcome = act(state, owner, &id, action.clone()).await;
        results.push(match outcome {
            Ok(_) => BulkResult {
                id,
                status: 200,
                error: None,
            },
            Err(error) => BulkResult {
                id,
                status: error.status_code(),
                error: Some(error.to_string()),
            },
        });
    }
    Ok(results)
}
