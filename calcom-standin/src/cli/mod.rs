//! The command line on top of the library: clap's argument types, `serve`'s arguments turned
//! into [`ServeOptions`](crate::config::ServeOptions), and the client subcommands that drive a
//! running stand-in. Nothing below imports this module.

mod args;
mod client;
mod serve_args;

pub use args::{
    ActionArgs, BookArgs, Cli, Command, DeliveryFlags, FailArgs, FailSetting, FlushArgs, PingArgs,
    Remote, SeedArgs,
};
pub use client::run;
pub use serve_args::{FailArg, ServeArgs};
