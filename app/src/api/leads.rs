//! The owners' leads for the pages (`/api/leads` shares their code paths): a page of the
//! list, one lead with its timeline, and erasing a lead.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use crate::{
    error::AppError,
    wire::leads::{LeadPage, LeadView},
};

/// A page of the list for the filters of the page's form (every one optional).
#[server(endpoint = "owner/leads", input = GetUrl)]
pub async fn list_leads(
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    stage: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
) -> Result<LeadPage, AppError> {
    use crate::ssr::{
        leads::list::{self, LeadQuery},
        respond::as_owner,
    };

    as_owner(|app, _owner| async move {
        let query = LeadQuery {
            from,
            to,
            source,
            stage,
            q,
            cursor,
            ..LeadQuery::default()
        };
        list::page(&app, &query).await
    })
    .await
}

/// One lead and its timeline. (Arguments are optional so that a call without them is
/// refused for its session first, like every owner function.)
#[server(endpoint = "owner/lead", input = GetUrl)]
pub async fn load_lead(submission_id: Option<String>) -> Result<LeadView, AppError> {
    use crate::ssr::{leads::detail, respond::as_owner};

    as_owner(|app, _owner| async move {
        detail::view(&app, submission_id.as_deref().unwrap_or_default()).await
    })
    .await
}

/// Erases the lead's personal data; `confirm` must be `ERASE` (or `yes`).
#[server(endpoint = "owner/lead_erase")]
pub async fn erase_lead(
    submission_id: Option<String>,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{leads::erase, respond::as_owner};

    as_owner(|app, owner| async move {
        let confirmed = erase::confirmed(confirm.as_deref());
        let submission_id = submission_id.unwrap_or_default();
        erase::erase_lead(&app, &owner, &submission_id, confirmed)
            .await
            .map(|_| ())
    })
    .await
}
