//! The one way the app talks to its database. SQLite (the embedded default) and PostgreSQL
//! sit behind [`Db`]; SQL that is the same for both is written once and run through
//! [`on_pool!`]/[`in_tx!`], SQL whose dialects differ gets one well-named query per backend.

pub mod backup;
mod connect;
mod macros;
pub mod pool;
mod text_column;
mod time;
pub mod tx;

pub use crate::{in_tx, on_pool, text_column};
pub use connect::{DbTarget, DbTargetError, PoolSizing};
pub use pool::{Backend, Db, Pool, SqliteDb};
pub use time::DbTime;
pub use tx::Tx;
