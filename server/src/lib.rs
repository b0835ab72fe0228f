//! The native server: configuration, telemetry, the HTTP stack around the Leptos app, and
//! the routes that are not pages (health, webhooks).

pub mod allocator;
pub mod commands;
pub mod config;
pub mod prometheus;
pub mod same_origin;
pub mod security_headers;
pub mod serve;
pub mod server_fn_errors;
pub mod startup;
pub mod static_files;
pub mod telemetry;

mod routes;
