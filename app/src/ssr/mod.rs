//! Server-only code of the app: database access, settings, request state, and the work behind
//! each server function and route.

pub mod auth;
pub mod batches;
pub mod booking_page;
pub mod calcom;
pub mod changes;
pub mod client_ip;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod flights;
pub mod intake;
pub mod leads;
pub mod limit_keys;
pub mod meters;
mod problem;
pub mod reconcile;
pub mod request;
pub mod respond;
pub mod review;
pub mod settings;
pub mod spool;
pub mod state;
pub mod store;
pub mod stream_slots;
pub mod untrusted_input;
pub mod webhooks;
