//! The rules of the product as pure code: no I/O, no clock, no framework. Compiles for the
//! browser (wasm32) and the server alike, so a rule is written once and runs in both.

pub mod attribution;
pub mod booking;
pub mod csv_cell;
pub mod delivery;
pub mod intake;
pub mod local_time;
pub mod metrics;
pub mod rate_limit;
pub mod reconcile;
pub mod review;
