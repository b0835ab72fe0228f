//! HTTP routes that are not Leptos pages.

pub mod events;
pub mod health;
pub mod intake;
pub mod leads;
pub mod metrics;
pub mod review;
pub mod webhooks;
