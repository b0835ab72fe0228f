//! Reconciliation with Cal.com's bookings API: what no webhook brought (an outage of this
//! host, a network fault, a webhook misconfigured in Cal.com) is found by reading the
//! account's bookings and applied through the same projection as a delivery, as events whose
//! source is `reconcile`. [`pass`] is one pass; [`job`] runs one every
//! `CAL_RECONCILE_MINUTES`, one process at a time.

pub mod job;
pub mod pass;
mod raise;
mod read;

pub use job::spawn_reconciler;
pub use pass::{run_pass, PassError, PassReport};
