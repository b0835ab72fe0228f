//! A consistent copy of a SQLite database while the server runs: `VACUUM INTO` reads one
//! snapshot (WAL readers do not block the writer, nor it them) and writes a compact,
//! self-contained file. PostgreSQL has `pg_dump` for this.

use std::path::Path;

use super::pool::Db;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file")]
    Exists(String),
    #[error("the database is PostgreSQL: back it up with pg_dump (see the README)")]
    Postgres,
    #[error("the backup failed: {0}")]
    Database(#[from] sqlx::Error),
}

/// Writes a copy of the SQLite database to `path`, which must not exist yet.
pub async fn backup_sqlite(db: &Db, path: &Path) -> Result<(), BackupError> {
    let Db::Sqlite(sqlite) = db else {
        return Err(BackupError::Postgres);
    };
    if path.exists() {
        return Err(BackupError::Exists(path.display().to_string()));
    }
    sqlx::query("vacuum into ?")
        .bind(path.to_string_lossy().into_owned())
        .execute(&sqlite.reader)
        .await?;
    Ok(())
}
