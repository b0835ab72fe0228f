//! `server replay-spool DIR`: drains the webhook spool of a server process that is gone (a
//! replaced container, a retired host) into the database, through the same path as a live
//! delivery. Safe while other processes run: a delivery already in the database is a
//! duplicate and changes nothing.

use std::{path::Path, process::ExitCode};

use app::ssr::{spool::Spool, webhooks::replay_spool};

use crate::{
    config::{Config, Source},
    startup::open_state,
};

pub async fn run(args: &[String]) -> ExitCode {
    let [dir] = args else {
        eprintln!("usage: server replay-spool DIR");
        return ExitCode::from(2);
    };
    match replay(Path::new(dir)).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(left) => {
            eprintln!("replay-spool: {left} deliveries are still waiting (see the log)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("replay-spool: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Replays `dir`; answers how many entries are left in it.
async fn replay(dir: &Path) -> anyhow::Result<u64> {
    let config = Config::from_source(&Source::from_process()?)?;
    crate::telemetry::init(config.log_format, &config.log_filter);
    let state = open_state(&config).await?;
    let spool = Spool::open(dir, u64::MAX)?;
    let replayed = replay_spool(&state, &spool).await?;
    println!(
        "replayed {} deliveries from {} ({} already in the database, {} set aside)",
        replayed.taken,
        dir.display(),
        replayed.duplicates,
        replayed.set_aside
    );
    let left = spool.status().await.entries;
    state.db.close().await;
    Ok(left)
}
