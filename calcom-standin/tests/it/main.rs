//! The stand-in over HTTP: pages, webhooks, delivery modes and the CLI, against a receiver
//! that records what the app would get.

// Test helpers may panic: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod api_v2;
mod cli;
mod delivery;
mod lifecycle;
mod lost_metadata;
mod pages;
mod support;
mod webhooks;
