//! Integration tests: the real router on port 0 and real databases (a fresh SQLite file and
//! a fresh PostgreSQL database per test). One binary, so it links once.

// Test code: a failed expectation is meant to panic.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

mod backup;
mod booking_page;
mod dashboard;
mod dashboard_fixture;
mod database;
mod errors;
mod faults;
mod health;
mod intake;
mod leads;
mod metrics;
mod owners;
mod pages;
mod prometheus;
mod reconcile;
mod review;
mod server_process;
mod shutdown;
mod slow_clients;
mod tallies;
mod two_processes;
mod untrusted;
mod webhooks;
