//! The one way the app talks to its database. SQLite (the embedded default) and PostgreSQL
//! sit behind [`Db`]; SQL that is the same for both is written once and run through
//! [`on_pool!`]/[`in_tx!`], SQL whose dialects differ gets one well-named query per backend.

mod connect;
mod time;
mod tx;

pub use crate::{in_tx, on_pool};
pub use connect::{DbTarget, DbTargetError, PoolSizing};
pub use time::DbTime;
pub use tx::Tx;

use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to the backend's pool, so one SQL text serves both
/// drivers and is type-checked against each of them.
#[macro_export]
macro_rules! on_pool {
    ($pool_ref:expr, $pool:ident => $body:expr) => {
        match $pool_ref {
            $crate::ssr::db::Pool::Sqlite($pool) => $body,
            $crate::ssr::db::Pool::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection, for either backend.
#[macro_export]
macro_rules! in_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::ssr::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::ssr::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// A handle to the database, cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgPool),
}

/// SQLite pools: many readers, and one writer so that writers queue in the app instead of
/// failing with `SQLITE_BUSY` (WAL lets readers go on while the writer writes).
#[derive(Clone, Debug)]
pub struct SqliteDb {
    pub reader: SqlitePool,
    pub writer: SqlitePool,
}

/// Which database engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A borrowed pool of either backend; what [`on_pool!`] matches on.
pub enum Pool<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool for queries that only read.
    pub fn reads(&self) -> Pool<'_> {
        match self {
            Db::Sqlite(sqlite) => Pool::Sqlite(&sqlite.reader),
            Db::Postgres(pg) => Pool::Postgres(pg),
        }
    }

    /// The pool for single-statement writes outside an explicit transaction.
    pub fn writes(&self) -> Pool<'_> {
        match self {
            Db::Sqlite(sqlite) => Pool::Sqlite(&sqlite.writer),
            Db::Postgres(pg) => Pool::Postgres(pg),
        }
    }

    /// Answers whether the database can run a query right now (readiness).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(self.reads(), pool => sqlx::query("select 1").execute(pool).await.map(|_| ()))
    }

    /// Closes every connection; later queries fail with `PoolClosed`.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(sqlite) => {
                sqlite.writer.close().await;
                sqlite.reader.close().await;
            }
            Db::Postgres(pg) => pg.close().await,
        }
    }
}
