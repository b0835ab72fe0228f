//! The review queue for the owner pages: a page of it, the leads an item could be linked to,
//! an action on one item or on every open item of a kind, and the open count the navigation
//! shows. Thin: the work is `ssr::review`'s, shared with the JSON routes. After an action the
//! browser goes back to the review page it came from, which says what was done (a plain form
//! post gets a real redirect; the hydrated page navigates).

use leptos::{prelude::*, server_fn::codec::GetUrl};

use crate::{
    domain::review::ActionName,
    error::AppError,
    wire::review::{LeadMatch, ReviewScreen},
};

/// Items on one review page.
pub const PAGE_ITEMS: i64 = 20;

/// What can be done to every open item of a kind at once.
pub const BULK_ACTIONS: [ActionName; 3] = [
    ActionName::MarkCompleted,
    ActionName::Dismiss,
    ActionName::Discard,
];

/// A page of open items of `kind` (every kind when empty) after `cursor`.
#[server(endpoint = "owner/review", input = GetUrl)]
pub async fn load_review(
    kind: Option<String>,
    cursor: Option<String>,
) -> Result<ReviewScreen, AppError> {
    use crate::{
        domain::local_time::zone_name,
        ssr::{respond::as_owner, review},
    };

    as_owner(|app, _owner| async move {
        let kind = parse_kind(kind.as_deref())?;
        let cursor = cursor.filter(|c| !c.is_empty());
        let page = review::page(&app, kind, cursor.as_deref(), Some(PAGE_ITEMS)).await?;
        Ok(ReviewScreen {
            page,
            time_zone: zone_name(&app.settings.owners.time_zone),
        })
    })
    .await
}

/// How many items are open, of every kind (one count query; the queue is not refreshed).
#[server(endpoint = "owner/review/count", input = GetUrl)]
pub async fn count_open_review() -> Result<i64, AppError> {
    use crate::ssr::{db::DbTime, respond::as_owner, review};

    as_owner(|app, _owner| async move {
        let counts = review::open_counts(&app, DbTime::now()).await?;
        Ok(counts.iter().map(|c| c.count).sum())
    })
    .await
}

/// Leads whose submission id is `q`, or whose name, email or company contains it.
#[server(endpoint = "owner/review/leads", input = GetUrl)]
pub async fn find_leads(q: Option<String>) -> Result<Vec<LeadMatch>, AppError> {
    use crate::ssr::{respond::as_owner, review};

    as_owner(|app, _owner| async move {
        review::find_leads(&app, q.as_deref().unwrap_or_default()).await
    })
    .await
}

/// Carries out `action` on item `id` (with the `submission_id`, `reason` or `days` it needs).
#[server(endpoint = "owner/review/act")]
pub async fn act_on_review_item(
    id: Option<String>,
    action: Option<String>,
    submission_id: Option<String>,
    reason: Option<String>,
    days: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::review::ReviewAction,
        ssr::{respond::as_owner, review},
        wire::review_url::Outcome,
    };

    as_owner(|app, owner| async move {
        let id = id.unwrap_or_default();
        let action = ReviewAction::parse(
            action.as_deref().unwrap_or_default(),
            submission_id.as_deref(),
            reason.as_deref(),
            days.as_deref(),
        )
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
        let name = action.name();
        review::act(&app, &owner, &id, action).await?;
        go_back(&Outcome::One {
            action: name,
            item: id,
        })
    })
    .await
}

/// Carries out `action` (one of [`BULK_ACTIONS`]) on every open item of `kind`, each on its
/// own; the page then says how many it settled.
#[server(endpoint = "owner/review/bulk")]
pub async fn act_on_review_kind(
    kind: Option<String>,
    action: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::review::ReviewAction,
        ssr::{respond::as_owner, review::bulk},
        wire::review_url::Outcome,
    };

    as_owner(|app, owner| async move {
        let kind = parse_kind(kind.as_deref())?
            .ok_or_else(|| AppError::BadRequest("name the kind of item to act on".into()))?;
        let unfit = |e: crate::domain::review::ActionError| AppError::Unprocessable(e.to_string());
        let action = ReviewAction::parse(
            action.as_deref().unwrap_or_default(),
            None,
            reason.as_deref(),
            None,
        )
        .map_err(unfit)?;
        if !BULK_ACTIONS.contains(&action.name()) {
            return Err(AppError::Unprocessable(
                "all open items at once can only be marked completed, dismissed or discarded"
                    .into(),
            ));
        }
        let action = action.fitting(kind).map_err(unfit)?;
        let selection = bulk::Selection::OpenOfKind(kind);
        let results = bulk::act_on_each(&app, &owner, selection, &action).await?;
        let done = results.iter().filter(|r| r.status == 200).count();
        go_back(&Outcome::Bulk {
            action: action.name(),
            done,
            of: results.len(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_kind(text: Option<&str>) -> Result<Option<crate::domain::review::ItemKind>, AppError> {
    use crate::domain::review::ItemKind;

    text.filter(|k| !k.is_empty())
        .map(|k| {
            ItemKind::parse(k)
                .ok_or_else(|| AppError::BadRequest(format!("{k:?} is not a kind of item")))
        })
        .transpose()
}

/// Sends the browser back to the review view it posted from (only its kind and page are
/// taken from the `Referer`; the path is always `/review`), saying what was done.
#[cfg(feature = "ssr")]
fn go_back(outcome: &crate::wire::review_url::Outcome) -> Result<(), AppError> {
    use crate::{
        ssr::respond::request_parts,
        wire::review_url::{ReviewQuery, REVIEW_PATH},
    };

    let parts = request_parts()?;
    let from = parts
        .headers
        .get(http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| u.path() == REVIEW_PATH)
        .map(|u| ReviewQuery::from_pairs(u.query_pairs()))
        .unwrap_or_default();
    leptos_axum::redirect(&from.back(outcome).href());
    Ok(())
}
