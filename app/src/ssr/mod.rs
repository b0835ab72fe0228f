//! Server-only code of the app: database access, settings and request state.

pub mod auth;
pub mod booking_page;
pub mod calcom;
pub mod changes;
pub mod client_ip;
pub mod dashboard;
pub mod db;
pub mod intake;
pub mod request;
pub mod settings;
pub mod state;
pub mod store;
pub mod webhooks;
