//! Lead-list benchmark: loads the dashboard benchmark's data set (1,000,000 leads, 3,000,000
//! events) into a fresh database, starts a release build of the server on it, signs in, and
//! times `GET /api/leads` pages without search (the first page, a page deep in the list by
//! its cursor, a source and a stage filter, a 30-day window) and with search (`q`: a name, an
//! email, a short text), then the CSV export of every lead, which it counts.
//!
//! `cargo run --release -p bench --bin leads -- --backend postgres` (or `sqlite`;
//! `--leads 20000 --events 60000` for a quick run)

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
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
    /// Requests per kind of page.
    #[arg(long, default_value_t = 20)]
    requests: usize,
    /// Skip the CSV export of every lead.
    #[arg(long)]
    no_csv: bool,
}

/// Times `requests` GETs of `query` (after one untimed warm-up); answers the sorted times.
async fn time_pages(
    client: &reqwest::Client,
    base_url: &str,
    cookie: &str,
    query: &str,
    requests: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut times = Vec::with_capacity(requests);
    let mut found = 0;
    for i in 0..=requests {
        let begun = Instant::now();
        let response = client
            .get(format!("{base_url}/api/leads?{query}"))
            .header("cookie", cookie)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("{query}: {}", response.status());
        }
        let page: serde_json::Value = response.json().await?;
        if i > 0 {
            times.push(begun.elapsed());
        }
        found = page["leads"].as_array().map_or(0, Vec::len);
    }
    times.sort();
    Ok((times, found))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (database, server, db) = loaded_server(args.backend, args.leads, args.events, 730).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = server.base_url.clone();
    let cookie = sign_in(&client, &base).await?;

    // A cursor deep in the list: the last lead of a page half-way down (by creation time).
    let middle = args.leads / 2;
    let deep: serde_json::Value = client
        .get(format!(
            "{base}/api/leads?limit=1&from={}&to={}",
            day(365),
            day(365)
        ))
        .header("cookie", &cookie)
        .send()
        .await?
        .json()
        .await?;
    let deep_cursor = deep["next_cursor"].as_str().unwrap_or_default().to_owned();
    let window = format!("from={}&to={}", day(29), day(0));
    let name = format!("q=lead{}", middle);
    let email = format!("q=lead{}%40example", middle / 10);
    let without_q = [
        "first page".to_owned(),
        format!("cursor={deep_cursor}"),
        "source=spring".to_owned(),
        "stage=no_show".to_owned(),
        format!("{window}&source=google"),
    ];
    let with_q = [name, email, "q=ad9".to_owned(), format!("{window}&q=lead1")];
    for (label, queries) in [("without q", &without_q[..]), ("with q", &with_q[..])] {
        let mut all = Vec::new();
        for query in queries {
            let query = if query == "first page" {
                ""
            } else {
                query.as_str()
            };
            let (times, found) = time_pages(&client, &base, &cookie, query, args.requests).await?;
            let shown = if query.is_empty() {
                "(first page)"
            } else {
                query
            };
            println!(
                "  {shown:<44} p50 {:.1} ms, p95 {:.1} ms ({found} leads on the page)",
                percentile(&times, 0.5).as_secs_f64() * 1e3,
                percentile(&times, 0.95).as_secs_f64() * 1e3,
            );
            all.extend(times);
        }
        all.sort();
        println!(
            "list page {label}: {} requests, p50 {:.1} ms, p95 {:.1} ms",
            all.len(),
            percentile(&all, 0.5).as_secs_f64() * 1e3,
            percentile(&all, 0.95).as_secs_f64() * 1e3,
        );
    }

    if !args.no_csv {
        let begun = Instant::now();
        let mut response = client
            .get(format!("{base}/api/leads?format=csv"))
            .header("cookie", &cookie)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("CSV export: {}", response.status());
        }
        let (mut lines, mut bytes) = (0_i64, 0_usize);
        while let Some(chunk) = response.chunk().await.context("the CSV body")? {
            bytes += chunk.len();
            lines += chunk.iter().filter(|b| **b == b'\n').count() as i64;
        }
        println!(
            "CSV export of every lead: {} rows, {:.1} MB in {:.1} s",
            lines - 1,
            bytes as f64 / 1e6,
            begun.elapsed().as_secs_f64()
        );
        if lines - 1 != args.leads {
            bail!("the export had {} rows for {} leads", lines - 1, args.leads);
        }
    }
    if let Some(rss) = server.peak_rss_mib() {
        println!("server peak RSS: {rss:.1} MiB");
    }
    drop(server);
    db.close().await;
    database.drop_database().await?;
    Ok(())
}
