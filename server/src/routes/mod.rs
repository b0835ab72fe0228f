//! HTTP routes that are not Leptos pages.

pub mod health;
pub mod intake;
pub mod webhooks;
