//! Dashboard benchmark: loads 1,000,000 leads (two years, five sources, every stage) and
//! 3,000,000 booking events into a fresh database, starts a release build of the server on it,
//! signs in, and times `GET /api/metrics` (the dashboard's whole data: the window and its prior
//! period, the source breakdown, the weekly trend, the latest no-shows, the data-trust check)
//! for a 90-day and a 7-day window. Prints p50/p95 per window, and checks the 90-day numbers
//! against a count made directly in SQL.
//!
//! `cargo run --release -p bench --bin dashboard -- --backend postgres` (or `sqlite`)

use std::time::Instant;

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
    /// Requests per window.
    #[arg(long, default_value_t = 40)]
    requests: usize,
    /// Keep the database afterwards (its URL is printed), e.g. to EXPLAIN the queries.
    #[arg(long)]
    keep: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (database, server, db) = loaded_server(args.backend, args.leads, args.events).await?;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let cookie = sign_in(&client, &server.base_url).await?;

    let mut checked = None;
    for (label, from_days_ago) in [("90-day window", 89), ("7-day window", 6)] {
        let (from, to) = (day(from_days_ago), day(0));
        let mut times = Vec::with_capacity(args.requests);
        for i in 0..=args.requests {
            let begun = Instant::now();
            let response = client
                .get(format!("{}/api/metrics", server.base_url))
                .header("cookie", &cookie)
                .query(&[("from", from.as_str()), ("to", to.as_str())])
                .send()
                .await?;
            if !response.status().is_success() {
                bail!("{label}: {}", response.status());
            }
            let body: serde_json::Value = response.json().await?;
            // The first request warms caches; it is not counted.
            if i > 0 {
                times.push(begun.elapsed());
            }
            if from_days_ago == 89 {
                checked = Some((
                    from.clone(),
                    to.clone(),
                    body["metrics"]["leads"]["current"].as_i64(),
                ));
            }
        }
        times.sort();
        println!(
            "{label}: {} requests, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            times.len(),
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3,
            times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
    }
    if let Some(rss) = server.peak_rss_mib() {
        println!("server peak RSS: {rss:.1} MiB");
    }

    // The API's count of the 90-day cohort against a count made here, directly in SQL.
    let Some((from, to, Some(answered))) = checked else {
        bail!("the 90-day answer had no lead count");
    };
    // The server runs with the default business time zone, UTC.
    let window = app::domain::metrics::Window::new(from.parse()?, to.parse()?)?
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
    Ok(())
}
