//! The `server` subcommands besides serving: owner accounts, the webhook spool, backups and
//! parsing stored deliveries again.

pub mod backup;
pub mod owner;
pub mod replay_spool;
pub mod reprocess;
