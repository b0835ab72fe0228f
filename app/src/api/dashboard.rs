//! The owners' dashboard data: one server function for the page, and the wire types it shares
//! with `GET /api/metrics`.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::{
    domain::metrics::{MetricsChange, Window},
    error::AppError,
};

/// Everything the dashboard shows for one window and source filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardReport {
    pub window: Window,
    pub prior: Window,
    pub source: Option<String>,
    pub metrics: MetricsChange,
    /// Per source, in the window (whatever the filter): what the filter can choose from too.
    pub sources: Vec<SourceRow>,
    pub trend: Vec<TrendWeek>,
    pub recent_lost: Vec<LostLead>,
    pub data_trust: DataTrust,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    pub source: String,
    pub leads: i64,
    pub booked: i64,
    pub book_rate: Option<f64>,
    pub no_show_rate: Option<f64>,
}

/// One week of the trend chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendWeek {
    pub from: jiff::civil::Date,
    pub book_rate: Option<f64>,
    pub no_show_rate: Option<f64>,
}

/// A no-show or a cancellation to follow up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostLead {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub source: String,
    pub stage: String,
    /// RFC 3339, UTC.
    pub booking_start: Option<String>,
    pub cancellation_reason: Option<String>,
}

/// Whether the webhook feed can be trusted for outcomes, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataTrust {
    /// Completed and no-show figures need a manual check.
    pub needs_manual_confirm: bool,
    pub reasons: Vec<String>,
    pub unresolved_failures: i64,
    /// RFC 3339, UTC.
    pub last_event_at: Option<String>,
}

/// The dashboard for `from..=to` (or the last `days` days; 30 by default), over the leads of
/// `source` when given.
#[server(endpoint = "owner/dashboard", input = GetUrl)]
pub async fn load_dashboard(
    from: Option<String>,
    to: Option<String>,
    days: Option<String>,
    source: Option<String>,
) -> Result<DashboardReport, AppError> {
    use crate::{api::owner::require_owner, domain::metrics::window_from_query, ssr::dashboard};

    let (app, _owner) = require_owner().await?;
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    // "custom" (the picker's choice when dates are given) or nothing: the default length.
    let days = given(days).and_then(|d| d.parse::<u16>().ok());
    let (from, to) = (given(from), given(to));
    let window = window_from_query(jiff::Timestamp::now(), from.as_deref(), to.as_deref(), days)
        .map_err(|problem| {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::BAD_REQUEST);
            }
            AppError::BadRequest(problem.to_string())
        })?;
    let source = source.filter(|s| !s.is_empty());
    dashboard::report(&app, window, source)
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot compute the dashboard");
            AppError::Internal
        })
}
