//! The stand-in's HTTP surface: Cal.com's public paths (`/embed/embed.js`, `/<calLink>[/embed]`,
//! `/video/<uid>`) and its own, under `/standin` (dashboard, booker script, control API).

mod api;
mod booker;
mod dashboard;
mod demo;
mod embed;
mod error;
mod html;
mod routes;
mod ui;

pub use routes::router;
