//! Reconciliation benchmark: N leads in a fresh database (the server's migrations make the
//! schema) and N bookings for them in a release build of the Cal.com stand-in whose webhooks
//! never arrived; `server reconcile` (the release build) runs one pass, then a second, each
//! timed, with the API calls each made (the stand-in keeps Cal.com's 120 calls a minute).
//!
//! `cargo run --release -p bench --bin reconcile -- --backend postgres` (or `sqlite`;
//! `--bookings 1000` for a quick run). Needs `target/release/server` (`cargo leptos build
//! --release`) and `target/release/calcom-standin` (`cargo build --release -p calcom-standin`).

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context};
use app::ssr::db::on_pool;
use bench::{dataset::load, workspace_root, Backend, BenchDb};
use clap::Parser;
use serde_json::json;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "postgres")]
    backend: Backend,
    #[arg(long, default_value_t = 10_000)]
    bookings: i64,
}

const API_KEY: &str = "cal_bench_key";

/// The stand-in, running until dropped.
struct Standin(Child);

impl Drop for Standin {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary(var: &str, default: &str, build: &str) -> anyhow::Result<PathBuf> {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(default));
    if !path.exists() {
        bail!("{} is missing: run `{build}` first", path.display());
    }
    Ok(path)
}

async fn start_standin(port: u16) -> anyhow::Result<Standin> {
    let standin = binary(
        "BENCH_STANDIN",
        "target/release/calcom-standin",
        "cargo build --release -p calcom-standin",
    )?;
    let child = Command::new(standin)
        .current_dir(workspace_root())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("CAL_WEBHOOK_SECRETS", "bench-webhook-secret")
        .env("CAL_LINK", "bench/intro")
        .env("STANDIN_WEBHOOK_URL", "http://127.0.0.1:9/nowhere")
        .env("STANDIN_API_KEY", API_KEY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start the stand-in")?;
    let standin = Standin(child);
    let client = reqwest::Client::new();
    for _ in 0..200 {
        let url = format!("http://127.0.0.1:{port}/standin/api/settings");
        if client.get(&url).send().await.is_ok() {
            return Ok(standin);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the stand-in did not start")
}

/// Runs `server reconcile`; answers its time and the summary line it printed.
fn reconcile(database_url: &str, api_url: &str) -> anyhow::Result<(Duration, String, usize)> {
    let server = binary(
        "BENCH_SERVER",
        "target/release/server",
        "cargo leptos build --release",
    )?;
    let started = Instant::now();
    let output = Command::new(server)
        .current_dir(workspace_root())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("CAL_WEBHOOK_SECRETS", "bench-webhook-secret")
        .env("CAL_LINK", "bench/intro")
        .env("CAL_API_KEY", API_KEY)
        .env("CAL_API_URL", api_url)
        .env("RUST_LOG", "warn")
        .env(
            "WEBHOOK_SPOOL_DIR",
            std::env::temp_dir().join("handoff-bench-reconcile-spool"),
        )
        .arg("reconcile")
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run server reconcile")?;
    let took = started.elapsed();
    if !output.status.success() {
        bail!("server reconcile failed: {}", output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let applied = text.lines().filter(|l| l.starts_with("applied ")).count();
    let summary = text.lines().last().unwrap_or_default().to_owned();
    Ok((took, summary, applied))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let database = BenchDb::create(args.backend).await?;
    let db = database.connect().await?;
    db.migrate().await?;
    // The leads only: their log is empty, as if every webhook had been lost.
    load(&db, args.bookings, 0, 730).await?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let _standin = start_standin(port).await?;
    let seeded = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/standin/api/seed"))
        .json(&json!({"count": args.bookings, "metadata_prefix": "lead-"}))
        .send()
        .await?;
    if !seeded.status().is_success() {
        bail!("seeding the stand-in failed: {}", seeded.status());
    }
    let api_url = format!("http://127.0.0.1:{port}/v2");

    let (first, summary, applied) = reconcile(&database.url, &api_url)?;
    println!(
        "backend: {:?}; {} bookings; first pass {:.1} s ({applied} events applied): {summary}",
        args.backend,
        args.bookings,
        first.as_secs_f64()
    );
    let (second, summary, applied) = reconcile(&database.url, &api_url)?;
    println!(
        "second pass {:.1} s ({applied} events applied): {summary}",
        second.as_secs_f64()
    );
    let from_reconcile = on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select count(distinct submission_id) from booking_events where source = 'reconcile'",
    )
    .fetch_one(pool)
    .await)?;
    println!(
        "leads repaired by reconciliation: {from_reconcile} of {}",
        args.bookings
    );
    db.close().await;
    database.drop_database().await?;
    Ok(())
}
