//! SQL, one module per concern. Each statement is written once for SQLite and PostgreSQL and
//! run through `on_pool!`/`in_tx!`; where the dialects differ (a percentile, the
//! one-statement commit of a webhook event on PostgreSQL), each backend has its own query in
//! the same function.

pub mod audit;
pub mod events;
pub mod leads;
pub mod metrics;
pub mod owners;
pub mod rate_limits;
pub mod reconcile;
pub mod review;
pub mod signing_keys;
pub mod tallies;
pub mod webhook_failures;
