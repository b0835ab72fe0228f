//! `server rotate-keys [--force]`: replaces the form signing key. Running server processes
//! pick the new key up within a minute; the previous key verifies until the next rotation, so
//! a form shown before is taken while young and comes back renewed when older than
//! `INTAKE_TICKET_MAX_AGE_HOURS`. Rotating again within that time would drop the key of forms
//! that may still be open, so it is refused unless `--force`.

use std::process::ExitCode;

use app::ssr::{
    db::{Db, DbTime},
    intake::ticket_keys::{self, TICKET_KEY_NAME},
    store::signing_keys,
};

use crate::config::{database_target, ticket_max_age, Source};

pub async fn run(args: &[String]) -> ExitCode {
    let force = match args {
        [] => false,
        [flag] if flag == "--force" => true,
        _ => {
            eprintln!("usage: server rotate-keys [--force]");
            return ExitCode::from(2);
        }
    };
    match rotate(force).await {
        Ok(None) => {
            println!(
                "made a new form signing key; running servers use it within a minute, and \
                 forms shown before still send"
            );
            ExitCode::SUCCESS
        }
        Ok(Some(safe_at)) => {
            eprintln!(
                "rotate-keys: the last rotation is younger than INTAKE_TICKET_MAX_AGE_HOURS, so \
                 forms shown before it may still be open; rotate after {safe_at}, or pass \
                 --force to refuse those forms"
            );
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("rotate-keys: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Rotates, unless it is too soon and not forced: then the time it becomes safe.
async fn rotate(force: bool) -> anyhow::Result<Option<jiff::Timestamp>> {
    let source = Source::from_process()?;
    let (target, pool) = database_target(&source)?;
    let ticket_max_age = ticket_max_age(&source)?;
    let db = Db::connect(&target, pool).await?;
    db.migrate().await?;
    let too_soon = match force {
        true => None,
        false => {
            ticket_keys::too_soon_to_rotate(&db, ticket_max_age, jiff::Timestamp::now()).await?
        }
    };
    if too_soon.is_none() {
        signing_keys::rotate(&db, TICKET_KEY_NAME, DbTime::now()).await?;
    }
    db.close().await;
    Ok(too_soon)
}
