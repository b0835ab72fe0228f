//! The database handle: a SQLite pair of pools or a PostgreSQL pool, and which one serves
//! reads and which writes.

use std::sync::{atomic::AtomicBool, Arc};

use sqlx::{PgPool, SqlitePool};

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
    /// Held while this process reconciles with Cal.com (one SQLite file serves one host).
    pub reconciling: Arc<AtomicBool>,
}

/// Which database engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A borrowed pool of either backend; what `on_pool!` matches on.
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
        match self.reads() {
            Pool::Sqlite(pool) => sqlx::query("select 1").execute(pool).await.map(|_| ()),
            Pool::Postgres(pool) => sqlx::query("select 1").execute(pool).await.map(|_| ()),
        }
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
