//! `server reconcile [--since DATE]`: one reconciliation pass with Cal.com's bookings by hand
//! (from DATE, `YYYY-MM-DD` or RFC 3339; default: the watermark of the last pass), printing
//! every event it applied. It waits for a pass another process is running to finish.

use std::{process::ExitCode, time::Duration};

use app::ssr::{
    reconcile::{run_pass, PassReport},
    store::reconcile::ReconcileLock,
};
use jiff::Timestamp;

use super::parse_since;
use crate::{
    config::{Config, Source},
    startup::open_state,
};

const USAGE: &str = "usage: server reconcile [--since YYYY-MM-DD | --since RFC3339]";

pub async fn run(args: &[String]) -> ExitCode {
    let since = match args {
        [] => None,
        [flag, date] if flag == "--since" => match parse_since(date) {
            Some(since) => Some(since),
            None => {
                eprintln!(
                    "reconcile: {date:?} is not a date (YYYY-MM-DD) or an RFC 3339 time\n{USAGE}"
                );
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match reconcile(since).await {
        Ok(report) => {
            for line in &report.applied {
                println!("applied {line}");
            }
            println!("{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("reconcile: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn reconcile(since: Option<Timestamp>) -> anyhow::Result<PassReport> {
    let config = Config::from_source(&Source::from_process()?)?;
    crate::telemetry::init(config.log_format, &config.log_filter);
    if config.settings.reconcile.api.is_none() {
        anyhow::bail!("CAL_API_KEY is not set: there is no Cal.com account to reconcile with");
    }
    let state = open_state(&config).await?;
    let lock = loop {
        if let Some(lock) = ReconcileLock::try_take(&state.db).await? {
            break lock;
        }
        eprintln!("reconcile: another server process is reconciling; waiting for it");
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    let result = run_pass(&state, since).await;
    lock.release().await;
    state.db.close().await;
    Ok(result?)
}
