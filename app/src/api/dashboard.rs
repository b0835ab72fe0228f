//! The owners' dashboard data for the page (`GET /api/metrics` shares its code path).

use leptos::{prelude::*, server_fn::codec::GetUrl};

use crate::{error::AppError, wire::dashboard::DashboardReport};

/// The dashboard for `from..=to` (or the last `days` days; 30 by default), over the leads of
/// `source` when given.
#[server(endpoint = "owner/dashboard", input = GetUrl)]
pub async fn load_dashboard(
    from: Option<String>,
    to: Option<String>,
    days: Option<String>,
    source: Option<String>,
) -> Result<DashboardReport, AppError> {
    use crate::{
        domain::metrics::window_from_query,
        ssr::{dashboard, respond::as_owner},
    };

    as_owner(|app, _owner| async move {
        let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
        // "custom" (the picker's choice when dates are given) or nothing: the default length.
        let days = given(days).and_then(|d| d.parse::<u16>().ok());
        let (from, to) = (given(from), given(to));
        let zone = &app.settings.owners.time_zone;
        let now = jiff::Timestamp::now();
        let window = window_from_query(now, zone, from.as_deref(), to.as_deref(), days)
            .map_err(|problem| AppError::BadRequest(problem.to_string()))?;
        let source = source.filter(|s| !s.is_empty());
        dashboard::report(&app, window, source).await
    })
    .await
}
