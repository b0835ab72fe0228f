//! The state every request handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{
    auth::hash_gate::HashGate,
    changes::Changes,
    dashboard::shared::DashboardFlights,
    db::Db,
    intake::{ticket::TicketSigner, writer::LeadWriter},
    limit_keys::LimitKeys,
    review::gate::RefreshGate,
    settings::Settings,
    spool::Spool,
    store::metrics::PercentileCache,
    stream_slots::StreamSlots,
    webhooks::{
        first_events::FirstEventWriter, gate::WebhookGate, recent::RecentDeliveries,
        refusals::Refusals,
    },
};

/// Shared, cheaply cloned application state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub ticket_signer: Arc<TicketSigner>,
    /// Stores new leads, committing concurrent submissions together.
    pub lead_writer: LeadWriter,
    /// Keys rate limits count by, holding no address or email.
    pub limit_keys: Arc<LimitKeys>,
    /// Bounds the password checks running and waiting at once.
    pub hash_gate: Arc<HashGate>,
    /// Tells open dashboards that bookings changed.
    pub changes: Changes,
    /// Caps the live-update streams open at once, per owner and in all.
    pub stream_slots: Arc<StreamSlots>,
    /// Bounds the webhook route: bodies read and verified ones held at once, deliveries at the
    /// database besides the first-event writer.
    pub webhook_gate: Arc<WebhookGate>,
    /// Writes leads' first webhook events, committing concurrent deliveries' together.
    pub first_events: FirstEventWriter,
    /// Webhook deliveries refused for their signature, counted in memory.
    pub refusals: Arc<Refusals>,
    /// Deliveries this process saw committed, so their re-deliveries need no transaction.
    pub recent_deliveries: Arc<RecentDeliveries>,
    /// Verified deliveries waiting for the database, on local disk.
    pub spool: Arc<Spool>,
    /// When this process last brought the review queue up to date.
    pub review: Arc<RefreshGate>,
    /// Time-to-book percentiles of the windows owners looked at, while their leads stand still.
    pub percentiles: Arc<PercentileCache>,
    /// Dashboard views being computed, shared by the owners asking for them at once.
    pub dashboard_flights: Arc<DashboardFlights>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
