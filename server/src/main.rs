//! `server`: runs the web app. Configuration comes from the environment and `.env`.

use std::process::ExitCode;

use server::{
    config::{Config, Source},
    startup::{shutdown_signal, Application},
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
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
