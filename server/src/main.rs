//! `server`: runs the web app. Configuration comes from the environment and `.env`.
//!
//! ```text
//! server                                  # serve
//! server create-owner --email EMAIL       # create an owner, or set an owner's password;
//!                                         # the password comes from OWNER_PASSWORD or stdin
//! server set-password --email EMAIL       # set an existing owner's password
//! server replay-spool DIR                 # drain the webhook spool of a process that is gone
//! server backup PATH                      # a consistent copy of the SQLite database
//! server reprocess [--since DATE]         # parse stored delivery bodies again
//! server reconcile [--since DATE]         # one pass against Cal.com's bookings API
//! server rotate-keys [--force]            # a new form signing key (the old one still verifies)
//! server rebuild-tallies                  # count the dashboard again (BUSINESS_TIME_ZONE changed)
//! ```

use std::process::ExitCode;

use server::{
    allocator, commands,
    config::{Config, Source},
    startup::{shutdown_signal, Application},
    telemetry,
};

const USAGE: &str = "usage:
  server                              run the web app
  server create-owner --email EMAIL   create an owner (or set an owner's password); the
                                      password is read from OWNER_PASSWORD or standard input
  server set-password --email EMAIL   set an existing owner's password (same input); a new
                                      password ends that owner's sessions
  server replay-spool DIR             replay the webhook spool of a server process that is
                                      gone into the database
  server backup PATH                  write a consistent copy of the SQLite database to
                                      PATH while the server runs (PostgreSQL: pg_dump)
  server reprocess [--since DATE]     parse the kept bytes of deliveries again (after a
                                      parser fix) and re-project the leads they change
  server reconcile [--since DATE]     one reconciliation pass against Cal.com's bookings
                                      API (CAL_API_KEY), printing what it changed
  server rotate-keys [--force]        replace the form signing key; forms shown before still
                                      send (refused within INTAKE_TICKET_MAX_AGE_HOURS of the
                                      last rotation unless --force)
  server rebuild-tallies              count the dashboard's tallies again from the leads in
                                      BUSINESS_TIME_ZONE (after changing it; stop the
                                      servers first)";

fn main() -> ExitCode {
    allocator::hold_memory_to_what_is_used();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => serve().await,
        Some("create-owner") => commands::owner::run(&args[1..]).await,
        Some("set-password") => commands::owner::run_set_password(&args[1..]).await,
        Some("replay-spool") => commands::replay_spool::run(&args[1..]).await,
        Some("backup") => commands::backup::run(&args[1..]).await,
        Some("reprocess") => commands::reprocess::run(&args[1..]).await,
        Some("reconcile") => commands::reconcile::run(&args[1..]).await,
        Some("rotate-keys") => commands::rotate_keys::run(&args[1..]).await,
        Some("rebuild-tallies") => commands::rebuild_tallies::run(&args[1..]).await,
        Some("--help" | "-h" | "help") => {
            println!("{}", USAGE);
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{}", USAGE);
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match Source::from_process().and_then(|source| Config::from_source(&source)) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format, &config.log_filter);

    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!("cannot start: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    match app.local_addr() {
        Ok(addr) => tracing::info!("listening on http://{addr}"),
        Err(error) => tracing::warn!(%error, "listening, address unknown"),
    }
    if let Err(error) = app.run_until(shutdown_signal()).await {
        tracing::error!(%error, "server stopped with an error");
        return ExitCode::FAILURE;
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}
