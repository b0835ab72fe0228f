//! What the dashboard's computations answer, and where the running ones are kept
//! (`AppState` holds them; the computations themselves are in the parent module).

use std::sync::Arc;

use crate::{
    domain::metrics::{MetricsChange, Window},
    error::AppError,
    ssr::flights::Flights,
    wire::dashboard::{DashboardReport, DataTrust, SourceRow},
};

/// What `GET /api/metrics` answers: the window beside its prior period, per source, and
/// whether the outcome figures can be trusted.
pub struct Numbers {
    pub metrics: MetricsChange,
    pub sources: Vec<SourceRow>,
    pub data_trust: DataTrust,
}

/// A view: its window and source.
pub(super) type View = (Window, Option<String>);

/// The computations of views running or about to, for the numbers and for the whole page.
#[derive(Debug, Default)]
pub struct DashboardFlights {
    pub(super) numbers: Arc<Flights<View, Numbers, AppError>>,
    pub(super) reports: Arc<Flights<View, DashboardReport, AppError>>,
}
