//! `server rebuild-tallies`: counts the dashboard's tallies again from the leads, in the
//! current `BUSINESS_TIME_ZONE`. Needed after the zone changes (the server refuses to start
//! while the tallies are counted in another zone); stop every server process first, so none
//! keeps answering for the old zone.

use std::process::ExitCode;

use app::ssr::{db::Db, store::tallies};

use crate::config::{Config, Source};

pub async fn run(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        eprintln!("usage: server rebuild-tallies");
        return ExitCode::from(2);
    }
    match rebuild().await {
        Ok(built) => {
            println!(
                "counted the dashboard's tallies in {}: {} cohort rows and {} slot rows from \
                 the leads, in {} ms",
                built.time_zone, built.cohort_rows, built.slot_rows, built.millis
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rebuild-tallies: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn rebuild() -> anyhow::Result<tallies::Rebuilt> {
    let config = Config::from_source(&Source::from_process()?)?;
    let db = Db::connect(&config.database, config.pool).await?;
    db.migrate().await?;
    let built = tallies::rebuild(&db, &config.settings.owners.time_zone).await?;
    db.close().await;
    Ok(built)
}
