//! Dashboard benchmark: loads 1,000,000 leads (two years, five sources, every stage) and
//! 3,000,000 booking events into a fresh database, starts a release build of the server on it,
//! signs in, and times `GET /api/metrics` (the dashboard's whole data: the window and its prior
//! period, the source breakdown, the weekly trend, the latest no-shows, the data-trust check)
//! for a 90-day and a 7-day window. Prints p50/p95 per window, and checks the 90-day numbers
//! against a count made directly in SQL.
//!
//! `cargo run --release -p bench --bin dashboard -- --backend postgres` (or `sqlite`)

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use app::ssr::db::{on_pool, Db};
use bench::{Backend, BenchDb, Server};
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

const EMAIL: &str = "bench-owner@example.com";
const PASSWORD: &str = "a long benchmark passphrase";

/// Every lead `g` of `n`: created `g/n` of two years ago; source, stage and booking from `g`.
const PG_LEADS: &str = "insert into leads (submission_id, name, email, message, consented_at, source, \
     stage, created_at, invited_at, first_booked_at, booking_status, booking_uid, booking_start, \
     booking_end, reschedule_count, last_event, last_event_at) \
   select 'lead-' || g, 'Lead ' || g, 'lead' || g || '@example.com', 'Generated', created, \
     (array['direct','spring','partner.example','newsletter','google'])[1 + g % 5], \
     case when g % 10 < 2 then 'invited' when g % 10 = 2 then 'booked' when g % 10 = 3 then 'rescheduled' \
          when g % 10 = 4 then 'completed' when g % 10 = 5 then 'no_show' when g % 10 = 6 then 'cancelled' \
          when g % 10 = 7 then 'requested' else 'new' end, \
     created, case when g % 10 < 8 then created + interval '1 minute' end, \
     case when g % 10 between 2 and 6 then created + (g % 97) * interval '1 hour' end, \
     case when g % 10 between 2 and 7 then 'booked' end, \
     case when g % 10 between 2 and 7 then 'uid-' || g end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 48) * interval '1 hour' end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 48) * interval '1 hour' + interval '30 minutes' end, \
     case when g % 10 = 3 then 1 + g % 3 else 0 end, \
     case when g % 10 between 2 and 7 then 'BOOKING_CREATED' end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 50) * interval '1 hour' end \
   from (select g, now() - (g::float8 / $1) * interval '730 days' as created \
         from generate_series(1, $1::int8) g) s";

const PG_EVENTS: &str = "insert into booking_events (idempotency_key, trigger_event, booking_uid, \
     submission_id, status, event_at, received_at, event) \
   select md5(e::text), 'BOOKING_CREATED', 'uid-' || (1 + e % $1), 'lead-' || (1 + e % $1), 'applied', \
     now() - (e::float8 / $2) * interval '730 days', now() - (e::float8 / $2) * interval '730 days', '{}' \
   from generate_series(1, $2::int8) e";

/// The same data for SQLite, whose timestamps are fixed-width RFC 3339 text.
const SQLITE_LEADS: &str = "with recursive n(g) as (select 1 union all select g + 1 from n where g < $1), \
   s as (select g, julianday('now') - g * 730.0 / $1 as created from n) \
   insert into leads (submission_id, name, email, message, consented_at, source, \
     stage, created_at, invited_at, first_booked_at, booking_status, booking_uid, booking_start, \
     booking_end, reschedule_count, last_event, last_event_at) \
   select 'lead-' || g, 'Lead ' || g, 'lead' || g || '@example.com', 'Generated', t(created), \
     case g % 5 when 0 then 'direct' when 1 then 'spring' when 2 then 'partner.example' when 3 then 'newsletter' else 'google' end, \
     case when g % 10 < 2 then 'invited' when g % 10 = 2 then 'booked' when g % 10 = 3 then 'rescheduled' \
          when g % 10 = 4 then 'completed' when g % 10 = 5 then 'no_show' when g % 10 = 6 then 'cancelled' \
          when g % 10 = 7 then 'requested' else 'new' end, \
     t(created), case when g % 10 < 8 then t(created + 1 / 1440.0) end, \
     case when g % 10 between 2 and 6 then t(created + (g % 97) / 24.0) end, \
     case when g % 10 between 2 and 7 then 'booked' end, \
     case when g % 10 between 2 and 7 then 'uid-' || g end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 48) / 24.0) end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 48.5) / 24.0) end, \
     case when g % 10 = 3 then 1 + g % 3 else 0 end, \
     case when g % 10 between 2 and 7 then 'BOOKING_CREATED' end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 50) / 24.0) end \
   from s";

const SQLITE_EVENTS: &str = "with recursive n(e) as (select 1 union all select e + 1 from n where e < $2) \
   insert into booking_events (idempotency_key, trigger_event, booking_uid, submission_id, status, \
     event_at, received_at, event) \
   select 'key-' || e, 'BOOKING_CREATED', 'uid-' || (1 + e % $1), 'lead-' || (1 + e % $1), 'applied', \
     t(julianday('now') - e * 730.0 / $2), t(julianday('now') - e * 730.0 / $2), '{}' from n";

/// SQLite has no function for our fixed-width text: spelled out where `t(` appears.
fn sqlite_text_times(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(start) = rest.find("t(") {
        let preceded_by_word = start > 0 && rest.as_bytes()[start - 1].is_ascii_alphanumeric();
        if preceded_by_word {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        }
        out.push_str(&rest[..start]);
        let mut depth = 1;
        let inner_start = start + 2;
        let mut end = inner_start;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = inner_start + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &rest[inner_start..end];
        out.push_str(&format!(
            "(strftime('%Y-%m-%dT%H:%M:%S', {inner}) || '.000000Z')"
        ));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn load(db: &Db, leads: i64, events: i64) -> anyhow::Result<()> {
    match db {
        Db::Postgres(pool) => {
            sqlx::query(PG_LEADS)
                .bind(leads)
                .execute(pool)
                .await
                .context("leads")?;
            sqlx::query(PG_EVENTS)
                .bind(leads)
                .bind(events)
                .execute(pool)
                .await
                .context("events")?;
            // What autovacuum does to a table after a bulk load: statistics, and the visibility
            // map that lets the dashboard's counts read the covering index alone.
            sqlx::query("vacuum analyze").execute(pool).await?;
        }
        Db::Sqlite(sqlite) => {
            let pool = &sqlite.writer;
            sqlx::query(&sqlite_text_times(SQLITE_LEADS))
                .bind(leads)
                .execute(pool)
                .await
                .context("leads")?;
            sqlx::query(&sqlite_text_times(SQLITE_EVENTS))
                .bind(leads)
                .bind(events)
                .execute(pool)
                .await
                .context("events")?;
            sqlx::query("analyze").execute(pool).await?;
        }
    }
    Ok(())
}

fn day(offset_days: i64) -> String {
    let at = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * offset_days))
        .unwrap_or(jiff::Timestamp::now());
    at.to_string()[..10].to_owned()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let database = BenchDb::create(args.backend).await?;
    // The server makes the schema (migrations), then the data is loaded beneath it.
    let server = Server::start(
        &database.url,
        &[("OWNER_EMAIL", EMAIL), ("OWNER_PASSWORD", PASSWORD)],
    )
    .await?;
    let db = database.connect().await?;
    let started = Instant::now();
    load(&db, args.leads, args.events).await?;
    println!(
        "backend: {:?}; loaded {} leads and {} events in {:.1} s",
        args.backend,
        args.leads,
        args.events,
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let signed_in = client
        .post(format!("{}/api/signin", server.base_url))
        .header("accept", "text/html")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await?;
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no session cookie")?
        .to_owned();

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
