//! `server backup PATH`: a consistent copy of the SQLite database, taken while the server
//! runs. Restore by stopping the server and putting the copy in the database file's place
//! (see the README). On PostgreSQL it points at `pg_dump`.

use std::{path::Path, process::ExitCode};

use app::ssr::db::{
    backup::{backup_sqlite, BackupError},
    Db,
};

use crate::config::{database_target, Source};

pub async fn run(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprintln!("usage: server backup PATH");
        return ExitCode::from(2);
    };
    match backup(Path::new(path)).await {
        Ok(()) => {
            println!("wrote a copy of the database to {path}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("backup: {error:#}");
            match error.downcast_ref::<BackupError>() {
                Some(BackupError::Postgres | BackupError::Exists(_)) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

async fn backup(path: &Path) -> anyhow::Result<()> {
    let source = Source::from_process()?;
    let (target, pool) = database_target(&source)?;
    let db = Db::connect(&target, pool).await?;
    let done = backup_sqlite(&db, path).await;
    db.close().await;
    Ok(done?)
}
