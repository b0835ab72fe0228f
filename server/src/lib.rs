//! The native server: configuration, telemetry, the HTTP stack around the Leptos app, and
//! the routes that are not pages (health, webhooks).

pub mod backup_command;
pub mod config;
pub mod owner_command;
pub mod same_origin;
pub mod security_headers;
pub mod server_fn_errors;
pub mod spool_command;
pub mod startup;
pub mod telemetry;

mod routes;
