//! The stand-in's HTTP surface: Cal.com's public paths (`/embed/embed.js`, `/<calLink>[/embed]`,
//! `/video/<uid>`, API v2's `/v2/bookings`) and its own, under `/standin` (dashboard, booker script, control API).

mod api;
mod api_v2;
mod booker;
mod dashboard;
mod demo;
mod embed;
mod error;
mod html;
mod routes;
mod ui;

pub use routes::router;
