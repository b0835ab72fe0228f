//! `server reprocess [--since DATE]`: parses the stored bytes of verified deliveries again
//! (received at or after DATE, `YYYY-MM-DD` or RFC 3339, UTC; default: every body still kept)
//! and re-projects the leads whose events changed. Idempotent: a second run changes nothing.

use std::process::ExitCode;

use app::ssr::{db::DbTime, webhooks::reprocess};
use jiff::Timestamp;

use super::parse_since;
use crate::{
    config::{Config, Source},
    startup::open_state,
};

const USAGE: &str = "usage: server reprocess [--since YYYY-MM-DD | --since RFC3339]";

pub async fn run(args: &[String]) -> ExitCode {
    let since = match args {
        [] => Timestamp::UNIX_EPOCH,
        [flag, date] if flag == "--since" => {
            match parse_since(date) {
                Some(since) => since,
                None => {
                    eprintln!("reprocess: {date:?} is not a date (YYYY-MM-DD) or an RFC 3339 time\n{USAGE}");
                    return ExitCode::from(2);
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run_pass(since).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("reprocess: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run_pass(since: Timestamp) -> anyhow::Result<()> {
    let config = Config::from_source(&Source::from_process()?)?;
    crate::telemetry::init(config.log_format, &config.log_filter);
    let state = open_state(&config).await?;
    let done = reprocess(&state, DbTime::new(since)).await?;
    println!(
        "parsed {} stored deliveries again: {} events changed, {} leads re-projected, {} bodies \
         no longer parse",
        done.parsed, done.rewritten, done.leads, done.refused
    );
    state.db.close().await;
    Ok(())
}
