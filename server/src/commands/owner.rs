//! `server create-owner --email EMAIL`: creates an owner, or sets the password of the owner with
//! that email. The password is read from `OWNER_PASSWORD` or, when that is unset, from the
//! first line of standard input (so it never appears in the process list or shell history).

use std::{io::BufRead, process::ExitCode};

use app::ssr::{
    auth::{create_or_update_owner, OwnerSaved},
    db::Db,
};

use crate::config::{database_target, Source};

const USAGE: &str = "usage: server create-owner --email EMAIL";

pub async fn run(args: &[String]) -> ExitCode {
    let email = match args {
        [flag, email] if flag == "--email" => email.clone(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match create(&email).await {
        Ok(OwnerSaved::Created) => {
            println!("created owner {email}");
            ExitCode::SUCCESS
        }
        Ok(OwnerSaved::PasswordChanged) => {
            println!("set a new password for owner {email}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("create-owner: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn create(email: &str) -> anyhow::Result<OwnerSaved> {
    let source = Source::from_process()?;
    let (target, pool) = database_target(&source)?;
    let password = match std::env::var("OWNER_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => {
            eprintln!("password (from standard input):");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let db = Db::connect(&target, pool).await?;
    db.migrate().await?;
    let saved = create_or_update_owner(&db, email, password).await?;
    db.close().await;
    Ok(saved)
}
