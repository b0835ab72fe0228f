//! SQL, one module per concern. Query builders are generic over the backend and run through
//! `on_pool!`/`in_tx!`, so each statement is written once for SQLite and PostgreSQL; where the
//! dialects differ (row locks), each backend has its own query in the same function.

pub mod booking_events;
pub mod leads;
pub mod metrics;
pub mod owners;
pub mod rate_limits;
pub mod signing_keys;
pub mod webhook_failures;
