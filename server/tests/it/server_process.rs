//! The `server` binary as an operator starts it: bad configuration and a failing migration
//! stop the start with a clear message.

use std::process::Command;

use axum::Router;
use server::{
    config::{Config, Source},
    startup::Application,
};
use sqlx::Executor;

use crate::support::{Backend, TestDb};

fn server_binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_clear().current_dir(std::env::temp_dir());
    command
}

#[test]
fn a_missing_variable_stops_the_start_with_one_line_naming_it() {
    let output = server_binary()
        .env("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("CAL_LINK"), "{stderr}");
}

#[test]
fn an_invalid_variable_stops_the_start_with_one_line_naming_it() {
    let output = server_binary()
        .env("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret")
        .env("CAL_LINK", "acme/intro")
        .env("DATABASE_MAX_CONNECTIONS", "lots")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DATABASE_MAX_CONNECTIONS"), "{stderr}");
}

#[test]
fn a_short_webhook_secret_stops_the_start_naming_the_variable() {
    let output = server_binary()
        .env("CAL_WEBHOOK_SECRETS", "too-short")
        .env("CAL_LINK", "acme/intro")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("CAL_WEBHOOK_SECRETS"), "{stderr}");
    assert!(stderr.contains("shorter than 16"), "{stderr}");
}

#[tokio::test]
async fn a_migration_that_cannot_apply_stops_the_start() {
    let test_db = TestDb::new(Backend::Postgres).await;
    let db = test_db.connect().await;
    if let app::ssr::db::Db::Postgres(pool) = &db {
        pool.execute("create table leads (conflicting integer)")
            .await
            .expect("a table in the way");
    }
    db.close().await;
    let source = Source::from_pairs([
        ("DATABASE_URL", test_db.url.as_str()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
        ("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret"),
        ("CAL_LINK", "acme/intro"),
    ]);
    let config = Config::from_source(&source).expect("valid");
    let started = Application::build_with_routes(config, Router::new()).await;
    let error = started.err().expect("the start fails");
    assert!(format!("{error:#}").contains("migrations"), "{error:#}");
}
