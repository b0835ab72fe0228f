//! A local stand-in for Cal.com: it serves the real `@calcom/embed-core` script, a booker page
//! that speaks Cal.com's embed protocol, a control API and dashboard to act on bookings, and
//! sends the signed webhooks those actions cause, with the app's own body builders.
//!
//! From the top down: [`cli`] (only `main.rs` uses it), [`serve`](mod@serve), [`web`], [`standin`] (the
//! shared handle), [`actions`] and [`delivery`], then the plain data they share.

pub mod actions;
pub mod booking;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod delivery_log;
pub mod rate_limit;
pub mod serve;
pub mod slots;
pub mod standin;
pub mod store;
pub mod web;
pub mod webhook;

pub use config::Config;
pub use serve::serve;
pub use standin::{load_embed_js, Standin};
