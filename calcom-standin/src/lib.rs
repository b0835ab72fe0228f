//! A local stand-in for Cal.com: it serves the real `@calcom/embed-core` script, a booker page
//! that speaks Cal.com's embed protocol, a control API and dashboard to act on bookings, and
//! sends the signed webhooks those actions cause, with the app's own body builders.

pub mod actions;
pub mod booking;
pub mod cli;
pub mod client;
pub mod config;
pub mod delivery;
pub mod slots;
pub mod standin;
pub mod store;
pub mod web;

pub use config::Config;
pub use standin::{load_embed_js, serve, Standin};
