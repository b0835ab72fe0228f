//! Dashboard benchmark: loads leads (by default 1,000,000 over two years, five sources, every
//! stage) and booking events (3,000,000) into a fresh database, starts a release build of the
//! server on it, signs in, and times the dashboard's whole data (the window and its prior
//! period, the source breakdown, the weekly trend, the latest no-shows, the data-trust check)
//! for a 90-day and a 7-day window, through `GET /api/metrics` and through the page's own data
//! request (`GET /api/owner/dashboard`).
//!
//! One owner at a time (`--owners 1`, the default): p50/p95 per window over `--requests`
//! requests, after a first one that is reported on its own (it computes the percentiles the
//! later ones reuse). With `--owners N`: N owners ask at once for `--seconds`, and the
//! throughput and latencies are printed. Either way the 90-day lead count is checked against
//! a count made directly in SQL, and the run fails when the server's peak resident memory
//! was over `--rss-budget-mb` (60).
//!
//! `cargo run --release -p bench --bin dashboard -- --backend postgres` (or `sqlite`)
//! `… -- --leads 20000 --span-days 7 --events 0 --owners 32` (the concurrency case)

use std::time::{Duration, Instant};

use anyhow::bail;
use app::ssr::db::on_pool;
use bench::{
    dataset::{day, loaded_server, percentile, sign_in},
    Backend,
};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "postgres")]
    backend: Backend,
    #[arg(long, default_value_t = 1_000_000)]
    leads: i64,
    #[arg(long, default_value_t = 3_000_000)]
    events: i64,
    /// The leads are created over this many days up to now.
    #[arg(long, default_value_t = 730)]
    span_days: i64,
    /// Requests per window and path, one owner at a time.
    #[arg(long, default_value_t = 40)]
    requests: usize,
    /// Owners asking at once; above 1, each window and path is run for `--seconds`.
    #[arg(long, default_value_t = 1)]
    owners: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// The server's peak resident memory allowed, in MB (1,000,000 bytes); above it the run
    /// fails, after printing everything.
    #[arg(long, default_value_t = 60.0)]
    rss_budget_mb: f64,
    /// Keep the database afterwards (its URL is printed), e.g. to EXPLAIN the queries.
    #[arg(long)]
    keep: bool,
}

/// The two ways the dashboard's data is asked for.
const PATHS: [(&str, &str); 2] = [
    ("/api/metrics", "api"),
    ("/api/owner/dashboard", "page data"),
];

struct Asker {
    client: reqwest::Client,
    base_url: String,
    cookie: String,
}

impl Asker {
    /// One request; its time, and its body when `keep`.
    async fn ask(
        &self,
        path: &str,
        (from, to): (&str, &str),
        keep: bool,
    ) -> anyhow::Result<(Duration, Option<serde_json::Value>)> {
        let begun = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
            .header("sec-fetch-site", "same-origin")
            .query(&[("from", from), ("to", to)])
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("{path}: {}", response.status());
        }
        let body = if keep {
            Some(response.json().await?)
        } else {
            response.bytes().await?;
            None
        };
        Ok((begun.elapsed(), body))
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (database, server, db) =
        loaded_server(args.backend, args.leads, args.events, args.span_days).await?;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.owners.max(1))
        .build()?;
    let cookie = sign_in(&client, &server.base_url).await?;
    let asker = std::sync::Arc::new(Asker {
        client,
        base_url: server.base_url.clone(),
        cookie,
    });

    let mut checked = None;
    for (label, from_days_ago) in [("90-day window", 89), ("7-day window", 6)] {
        let (from, to) = (day(from_days_ago), day(0));
        for (path, path_label) in PATHS {
            let (first, body) = asker.ask(path, (&from, &to), true).await?;
            if from_days_ago == 89 && path == "/api/metrics" {
                checked = body.and_then(|b| b["metrics"]["leads"]["current"].as_i64());
            }
            let mut times = if args.owners <= 1 {
                let mut times = Vec::with_capacity(args.requests);
                for _ in 0..args.requests {
                    times.push(asker.ask(path, (&from, &to), false).await?.0);
                }
                times
            } else {
                concurrently(&asker, path, (&from, &to), args.owners, args.seconds).await?
            };
            times.sort();
            let throughput = if args.owners <= 1 {
                String::new()
            } else {
                format!(
                    "{} owners, {:.0} requests/s, ",
                    args.owners,
                    times.len() as f64 / args.seconds as f64
                )
            };
            println!(
                "{label}, {path_label}: first {:.1} ms; then {} requests, {throughput}p50 {:.1} ms, \
                 p95 {:.1} ms, max {:.1} ms",
                ms(first),
                times.len(),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                ms(times.last().copied().unwrap_or_default()),
            );
        }
    }
    let peak_mb = server.peak_rss_mib().map(|mib| mib * 1_048_576.0 / 1e6);
    if let Some(mb) = peak_mb {
        println!(
            "server peak RSS: {:.1} MiB ({mb:.1} MB; budget {} MB)",
            mb * 1e6 / 1_048_576.0,
            args.rss_budget_mb
        );
    }

    // The API's count of the 90-day cohort against a count made here, directly in SQL.
    let Some(answered) = checked else {
        bail!("the 90-day answer had no lead count");
    };
    // The server runs with the default business time zone, UTC.
    let window = app::domain::metrics::Window::new(day(89).parse()?, day(0).parse()?)?
        .period(&jiff::tz::TimeZone::UTC);
    let (start, end) = (
        app::ssr::db::DbTime::new(window.start),
        app::ssr::db::DbTime::new(window.end),
    );
    let counted: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar(
        "select count(*) from leads where created_at >= $1 and created_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(pool)
    .await)?;
    println!("90-day cohort: API {answered}, SQL {counted}");
    drop(server);
    db.close().await;
    if args.keep {
        println!("kept the database: {}", database.url);
        std::mem::forget(database);
    } else {
        database.drop_database().await?;
    }
    if answered != counted {
        bail!("the API counted {answered} leads, SQL {counted}");
    }
    if let Some(mb) = peak_mb.filter(|mb| *mb > args.rss_budget_mb) {
        bail!(
            "the server's peak RSS, {mb:.1} MB, is over the budget of {} MB",
            args.rss_budget_mb
        );
    }
    Ok(())
}

/// `owners` clients asking as fast as they get answers for `seconds`: every request's time.
async fn concurrently(
    asker: &std::sync::Arc<Asker>,
    path: &'static str,
    (from, to): (&str, &str),
    owners: usize,
    seconds: u64,
) -> anyhow::Result<Vec<Duration>> {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::with_capacity(owners);
    for _ in 0..owners {
        let (asker, from, to) = (asker.clone(), from.to_owned(), to.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < until {
                times.push(asker.ask(path, (&from, &to), false).await?.0);
            }
            anyhow::Ok(times)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await??);
    }
    Ok(all)
}
