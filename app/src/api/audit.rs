//! The audit trail for the owner page: a page of it, newest first.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use crate::{error::AppError, wire::review::AuditScreen};

/// Entries on one audit page.
pub const PAGE_ENTRIES: i64 = 50;

/// A page of the trail, older than `cursor` when given.
#[server(endpoint = "owner/audit", input = GetUrl)]
pub async fn load_audit(cursor: Option<String>) -> Result<AuditScreen, AppError> {
    use crate::{
        domain::local_time::zone_name,
        ssr::{respond::as_owner, review::audit_trail},
    };

    as_owner(|app, _owner| async move {
        let cursor = cursor.filter(|c| !c.is_empty());
        let page = audit_trail::page(&app, cursor.as_deref(), Some(PAGE_ENTRIES)).await?;
        Ok(AuditScreen {
            page,
            time_zone: zone_name(&app.settings.owners.time_zone),
        })
    })
    .await
}
