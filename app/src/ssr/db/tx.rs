//! Explicit write transactions on either backend.

use sqlx::{Postgres, Sqlite, Transaction};

use super::pool::Db;

/// An open write transaction. Commit it explicitly; dropping it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Db {
    /// Begins a write transaction. On SQLite it runs on the single writer connection and
    /// takes the write lock at once (`BEGIN IMMEDIATE`), so a transaction that reads and
    /// then writes cannot deadlock against another writer. On PostgreSQL nothing is locked
    /// up front: the writes that depend on what was read are conditional (`where
    /// event_version = …`, `on conflict do nothing`) and report whether they landed.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Db::Sqlite(sqlite) => Ok(Tx::Sqlite(
                sqlite.writer.begin_with("BEGIN IMMEDIATE").await?,
            )),
            Db::Postgres(pg) => Ok(Tx::Postgres(pg.begin().await?)),
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}
