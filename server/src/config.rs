//! Configuration: read once at start from the environment and a `.env` file, validated, and
//! turned into plain data. Any missing or invalid variable stops the start with one line
//! naming it.
//!
//! Each variable is one descriptor (`Var`) in the file of its concern, carrying its name,
//! meaning, what applies when it is unset, and its parser; [`VARIABLES`] lists them all.

mod cal;
mod database;
mod error;
mod intake;
mod operations;
mod owners;
mod process;
mod reconcile;
mod registry;
mod review;
mod site;
mod source;
mod var;
mod webhook;

pub use database::database_target;
pub use error::ConfigError;
pub use intake::ticket_max_age;
pub use operations::LogFormat;
pub use owners::FirstOwner;
pub use process::Config;
pub use registry::VARIABLES;
pub use source::Source;
pub use var::Variable;
pub use webhook::SpoolConfig;

#[cfg(test)]
mod tests;
