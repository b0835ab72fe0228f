//! The owners' dashboard: what the page shows, and what `GET /api/metrics` answers.

use serde::{Deserialize, Serialize};

use crate::domain::{
    booking::Stage,
    metrics::{MetricsChange, Window},
};

/// Everything the dashboard shows for one window and source filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardReport {
    pub window: Window,
    pub prior: Window,
    pub source: Option<String>,
    /// The business's time zone, in which the window's days and every time shown are read.
    pub time_zone: String,
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
    pub stage: Stage,
    /// RFC 3339, UTC.
    pub booking_start: Option<String>,
    /// The slot's start in the business's time zone, e.g. "Tue 1 Dec 2026, 10:00".
    pub booking_start_local: Option<String>,
    pub cancellation_reason: Option<String>,
}

/// Whether the webhook feed can be trusted for outcomes, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataTrust {
    /// Completed and no-show figures need a manual check.
    pub needs_manual_confirm: bool,
    pub reasons: Vec<String>,
    /// Open review items: failed deliveries, held events past their wait, overdue outcomes.
    pub unresolved_failures: i64,
    pub held_events: i64,
    pub overdue_outcomes: i64,
    /// RFC 3339, UTC.
    pub last_event_at: Option<String>,
    /// Verified deliveries on the server's disk, waiting for the database to take them.
    pub waiting_deliveries: Option<WaitingDeliveries>,
    /// Reconciliation with Cal.com's bookings, when an API key is configured.
    pub reconciled: Option<Reconciled>,
}

/// How reconciliation with Cal.com's bookings stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    /// The last pass that succeeded, RFC 3339 UTC and in the business's time zone.
    pub last_success_at: Option<String>,
    pub last_success_at_local: Option<String>,
    /// Why the latest passes failed, while they do.
    pub failing: Option<String>,
}

/// Deliveries the database could not take, kept in the spool until it can.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingDeliveries {
    pub count: u64,
    /// The oldest one's arrival, RFC 3339 UTC and in the business's time zone.
    pub since: Option<String>,
    pub since_local: Option<String>,
}
