//! Intake benchmark: submits N leads at a fixed concurrency over HTTP to a release build of the
//! server (as the hydrated form does), then checks that exactly N leads were stored.
//!
//! `cargo run --release -p bench --bin intake -- --backend postgres`
//!
//! The spam controls are relaxed only as far as configuration allows: no minimum fill time and
//! no per-address limit (every request comes from 127.0.0.1). Tickets are signed with the
//! server's own key, read from its database, exactly as the form page would sign them.
//!
//! `--owners N` has N owners read the dashboard (`GET /api/metrics`, 7 days) as fast as they
//! can while the leads come in, to measure intake beside them.

use std::sync::Arc;

use anyhow::{bail, Context};
use app::ssr::{db::on_pool, intake::ticket::TicketSigner, store::signing_keys};
use bench::{dataset::OWNER_VARS, readers::Readers, run_load, Backend, BenchDb, Server};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "postgres")]
    backend: Backend,
    #[arg(long, default_value_t = 20_000)]
    leads: usize,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Owners reading the dashboard during the run.
    #[arg(long, default_value_t = 0)]
    owners: usize,
    /// Extra server configuration, `NAME=value` (repeatable).
    #[arg(long = "server-var")]
    server_vars: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let database = BenchDb::create(args.backend).await?;
    let mut vars = vec![
        ("INTAKE_MIN_FILL_SECONDS", "0"),
        ("INTAKE_RATE_LIMIT_PER_HOUR", "0"),
    ];
    vars.extend_from_slice(OWNER_VARS);
    vars.extend(args.server_vars.iter().filter_map(|v| v.split_once('=')));
    let server = Server::start(&database.url, &vars).await?;
    let db = database.connect().await?;
    let signer = TicketSigner::new(signing_keys::get_or_create(&db, "intake-ticket").await?);
    let shown_at = jiff::Timestamp::now();
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..args.leads)
            .map(|i| {
                let id = uuid::Uuid::new_v4();
                let token = signer.issue(&id, shown_at);
                format!(
                    "submission_id={id}&token={token}&website=&name=Lead+{i}&email=lead{i}%40example.com\
                     &company=&phone=%2B44+20+7946+{:04}&message=Please+call+me+about+a+new+roof&consent=on\
                     &utm_source=bench&utm_medium=&utm_campaign=&referrer=&landing_path=%2F",
                    i % 10_000
                )
            })
            .collect(),
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let url = format!("{}/api/intake", server.base_url);
    let readers = Readers::start(&server.base_url, args.owners).await?;
    let mut result = run_load(args.leads, args.concurrency, move |i| {
        let (client, url, bodies) = (client.clone(), url.clone(), bodies.clone());
        async move {
            let response = client
                .post(&url)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(bodies[i].clone())
                .send()
                .await;
            matches!(response, Ok(r) if r.status().is_success() || r.status().is_redirection())
        }
    })
    .await;
    let read = readers.stop().await;

    println!(
        "backend: {:?}, concurrency {}",
        args.backend, args.concurrency
    );
    println!("{}", result.summary("leads submitted"));
    if let Some(read) = read {
        println!("{read}");
    }
    if let Some(rss) = server.peak_rss_mib() {
        println!("server peak RSS: {rss:.1} MiB");
    }
    let stored: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar("select count(*) from leads")
        .fetch_one(pool)
        .await)
    .context("count leads")?;
    println!("leads stored: {stored} (expected {})", args.leads);
    drop(server);
    db.close().await;
    database.drop_database().await?;
    if stored != args.leads as i64 || result.failures > 0 {
        bail!(
            "stored {stored} of {} leads, {} requests failed",
            args.leads,
            result.failures
        );
    }
    Ok(())
}
