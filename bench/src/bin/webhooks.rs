//! Webhook benchmark: N existing leads each get a signed BOOKING_CREATED (first deliveries, at
//! a fixed concurrency, over HTTP to a release build of the server), then 2,000 byte-identical
//! re-deliveries and 2,000 deliveries with a bad signature. Prints throughput and latency per
//! phase, and checks in SQL that every lead is booked exactly once.
//!
//! `cargo run --release -p bench --bin webhooks -- --backend postgres`

use std::sync::Arc;

use anyhow::{bail, Context};
use app::ssr::{
    calcom::{
        payloads::{self, BookingFacts},
        signature::sign,
    },
    db::{on_pool, DbTime},
    store::leads::{insert_once_in, NewLead},
};
use bench::{run_load, Backend, BenchDb, Server};
use clap::Parser;

const SECRET: &str = "bench-secret";

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "postgres")]
    backend: Backend,
    #[arg(long, default_value_t = 20_000)]
    leads: usize,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    #[arg(long, default_value_t = 2_000)]
    redeliveries: usize,
    #[arg(long, default_value_t = 2_000)]
    bad_signatures: usize,
    /// Extra server configuration, `NAME=value` (repeatable).
    #[arg(long = "server-var")]
    server_vars: Vec<String>,
}

fn facts(i: usize, submission_id: &str, now: jiff::Timestamp) -> BookingFacts {
    let start = now
        .checked_add(jiff::SignedDuration::from_hours(24 + (i % 500) as i64))
        .unwrap_or(now);
    BookingFacts {
        uid: format!("bench{i:017}"),
        booking_id: i as i64,
        event_type_id: 1,
        event_slug: "intro".into(),
        title: format!("Intro between Host and Lead {i}"),
        start,
        end: start
            .checked_add(jiff::SignedDuration::from_mins(30))
            .unwrap_or(start),
        attendee_name: format!("Lead {i}"),
        attendee_email: format!("lead{i}@example.com"),
        attendee_time_zone: "Europe/Berlin".into(),
        organizer_name: "Host".into(),
        organizer_email: "host@example.com".into(),
        organizer_time_zone: "Europe/London".into(),
        submission_id: Some(submission_id.to_owned()),
        video_call_url: Some(format!("https://app.cal.com/video/bench{i:017}")),
        created_at: now,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let database = BenchDb::create(args.backend).await?;
    let mut vars = vec![("CAL_WEBHOOK_SECRETS", SECRET)];
    vars.extend(args.server_vars.iter().filter_map(|v| v.split_once('=')));
    let server = Server::start(&database.url, &vars).await?;
    let db = database.connect().await?;

    let now = jiff::Timestamp::now();
    let ids: Vec<String> = (0..args.leads)
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    for chunk in ids.chunks(1_000) {
        let mut tx = db.begin().await?;
        for id in chunk {
            let lead = NewLead {
                submission_id: id.clone(),
                name: "Bench Lead".into(),
                email: "lead@example.com".into(),
                company: None,
                phone: None,
                message: "Please call me about a new roof".into(),
                source: "bench".into(),
                utm_source: Some("bench".into()),
                utm_medium: None,
                utm_campaign: None,
                referrer: None,
                landing_path: Some("/".into()),
                created_at: DbTime::new(now),
            };
            insert_once_in(&mut tx, &lead).await?;
        }
        tx.commit().await?;
    }
    let signed: Arc<Vec<(String, String)>> = Arc::new(
        ids.iter()
            .enumerate()
            .map(|(i, id)| {
                let body = payloads::booking_created(&facts(i, id, now), now);
                let signature = sign(SECRET, body.as_bytes());
                (body, signature)
            })
            .collect(),
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let url = Arc::new(format!("{}/api/webhooks/cal-com", server.base_url));
    let post = {
        let (client, url) = (client.clone(), url.clone());
        move |body: String, signature: String, expected: u16| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let response = client
                    .post(url.as_str())
                    .header("content-type", "application/json")
                    .header("x-cal-signature-256", signature)
                    .body(body)
                    .send()
                    .await;
                matches!(response, Ok(r) if r.status().as_u16() == expected)
            }
        }
    };

    println!(
        "backend: {:?}, concurrency {}",
        args.backend, args.concurrency
    );
    let mut first = {
        let (signed, post) = (signed.clone(), post.clone());
        run_load(args.leads, args.concurrency, move |i| {
            let (body, signature) = signed[i].clone();
            post(body, signature, 200)
        })
        .await
    };
    println!("{}", first.summary("first deliveries"));
    let mut again = {
        let (signed, post) = (signed.clone(), post.clone());
        run_load(
            args.redeliveries.min(args.leads),
            args.concurrency,
            move |i| {
                let (body, signature) = signed[i].clone();
                post(body, signature, 200)
            },
        )
        .await
    };
    println!("{}", again.summary("byte-identical re-deliveries"));
    let mut forged = {
        let (signed, post) = (signed.clone(), post.clone());
        run_load(args.bad_signatures, args.concurrency, move |i| {
            let (body, _) = signed[i % signed.len()].clone();
            post(body, sign("not-the-secret", b"x"), 401)
        })
        .await
    };
    println!("{}", forged.summary("bad signatures"));
    if let Some(rss) = server.peak_rss_mib() {
        println!("server peak RSS: {rss:.1} MiB");
    }

    let booked_once: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar(
        "select count(*) from leads l where l.stage = 'booked' and l.first_booked_at is not null \
         and (select count(*) from booking_events e where e.submission_id = l.submission_id) = 1",
    )
    .fetch_one(pool)
    .await)
    .context("check leads")?;
    let events: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar("select count(*) from booking_events")
        .fetch_one(pool)
        .await)?;
    println!(
        "leads booked exactly once: {booked_once} of {}; event rows: {events}",
        args.leads
    );
    drop(server);
    db.close().await;
    database.drop_database().await?;
    let failures = first.failures + again.failures + forged.failures;
    if booked_once != args.leads as i64 || events != args.leads as i64 || failures > 0 {
        bail!("{booked_once} leads booked once, {events} events, {failures} unexpected answers");
    }
    Ok(())
}
