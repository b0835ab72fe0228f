//! `server create-owner --email EMAIL`: creates an owner, or sets the password of the owner with
//! that email. `server set-password --email EMAIL`: sets an existing owner's password and
//! fails for an unknown email. A new password ends every session of that owner. The password
//! is read from `OWNER_PASSWORD` or, when that is unset, from the first line of standard input
//! (so it never appears in the process list or shell history).

use std::{io::BufRead, process::ExitCode};

use app::ssr::{
    auth::{create_or_update_owner, set_owner_password, OwnerSaved},
    db::Db,
};

use crate::config::{database_target, Source};

/// The email an owner command was given, or its usage line.
fn email_arg(command: &str, args: &[String]) -> Result<String, ExitCode> {
    match args {
        [flag, email] if flag == "--email" => Ok(email.clone()),
        _ => {
            eprintln!("usage: server {command} --email EMAIL");
            Err(ExitCode::from(2))
        }
    }
}

/// `server set-password --email EMAIL`.
pub async fn run_set_password(args: &[String]) -> ExitCode {
    let email = match email_arg("set-password", args) {
        Ok(email) => email,
        Err(code) => return code,
    };
    let saved = async {
        let (db, password) = open_with_password().await?;
        let saved = set_owner_password(&db, &email, password).await;
        db.close().await;
        saved.map_err(anyhow::Error::from)
    };
    match saved.await {
        Ok(()) => {
            println!("set a new password for owner {email}; their sessions have ended");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("set-password: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `server create-owner --email EMAIL`.
pub async fn run(args: &[String]) -> ExitCode {
    let email = match email_arg("create-owner", args) {
        Ok(email) => email,
        Err(code) => return code,
    };
    match create(&email).await {
        Ok(OwnerSaved::Created) => {
            println!("created owner {email}");
            ExitCode::SUCCESS
        }
        Ok(OwnerSaved::PasswordChanged) => {
            println!("set a new password for owner {email}; their sessions have ended");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("create-owner: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn create(email: &str) -> anyhow::Result<OwnerSaved> {
    let (db, password) = open_with_password().await?;
    let saved = create_or_update_owner(&db, email, password).await;
    db.close().await;
    Ok(saved?)
}

/// The database (migrated) and the password to set.
async fn open_with_password() -> anyhow::Result<(Db, String)> {
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
    Ok((db, password))
}
