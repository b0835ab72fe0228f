//! `server rotate-keys`: replaces the form signing key. Running server processes pick the new
//! key up within a minute; forms shown before the rotation stay valid for
//! `INTAKE_TICKET_MAX_AGE_HOURS` (the previous key verifies until then).

use std::process::ExitCode;

use app::ssr::{
    db::{Db, DbTime},
    intake::ticket_keys::TICKET_KEY_NAME,
    store::signing_keys,
};

use crate::config::{database_target, Source};

pub async fn run(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        eprintln!("usage: server rotate-keys");
        return ExitCode::from(2);
    }
    match rotate().await {
        Ok(()) => {
            println!(
                "made a new form signing key; running servers use it within a minute, and \
                 forms shown before now stay valid for INTAKE_TICKET_MAX_AGE_HOURS"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rotate-keys: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn rotate() -> anyhow::Result<()> {
    let source = Source::from_process()?;
    let (target, pool) = database_target(&source)?;
    let db = Db::connect(&target, pool).await?;
    db.migrate().await?;
    let rotated = signing_keys::rotate(&db, TICKET_KEY_NAME, DbTime::now()).await;
    db.close().await;
    Ok(rotated?)
}
