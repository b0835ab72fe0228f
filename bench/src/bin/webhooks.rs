//! Webhook benchmark: N existing leads each get a signed BOOKING_CREATED (first deliveries, at
//! a fixed concurrency, over HTTP to a release build of the server), then byte-identical
//! re-deliveries and deliveries with a bad signature, each phase alone; then N more leads'
//! first deliveries while 16 more clients send bad signatures as fast as they can beside
//! them. Prints throughput and latency per phase, and checks in SQL that every lead is booked
//! exactly once.
//!
//! `cargo run --release -p bench --bin webhooks -- --backend postgres`

use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Arc,
};

use anyhow::{bail, Context};
use app::ssr::{
    calcom::{
        payloads::{self, BookingFacts},
        signature::sign,
    },
    db::{on_pool, DbTime},
    store::leads::{insert_once_in, NewLead},
};
use bench::{dataset::OWNER_VARS, readers::Readers, run_load, Backend, BenchDb, Server};
use clap::Parser;

const SECRET: &str = "bench-webhook-secret";

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "postgres")]
    backend: Backend,
    #[arg(long, default_value_t = 20_000)]
    leads: usize,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    #[arg(long, default_value_t = 20_000)]
    redeliveries: usize,
    #[arg(long, default_value_t = 20_000)]
    bad_signatures: usize,
    /// Clients sending bad signatures beside the last phase's first deliveries (0: no phase).
    #[arg(long, default_value_t = 16)]
    refusers: usize,
    /// Owners reading the dashboard during the first deliveries.
    #[arg(long, default_value_t = 0)]
    owners: usize,
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
    vars.extend_from_slice(OWNER_VARS);
    vars.extend(args.server_vars.iter().filter_map(|v| v.split_once('=')));
    let server = Server::start(&database.url, &vars).await?;
    let db = database.connect().await?;

    let now = jiff::Timestamp::now();
    // The second half is booked while refusals flood the route.
    let total_leads = if args.refusers > 0 {
        args.leads * 2
    } else {
        args.leads
    };
    let ids: Vec<String> = (0..total_leads)
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
    let readers = Readers::start(&server.base_url, args.owners).await?;
    let mut first = {
        let (signed, post) = (signed.clone(), post.clone());
        run_load(args.leads, args.concurrency, move |i| {
            let (body, signature) = signed[i].clone();
            post(body, signature, 200)
        })
        .await
    };
    println!("{}", first.summary("first deliveries"));
    if let Some(read) = readers.stop().await {
        println!("{read}");
    }
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
    if args.refusers > 0 {
        let stop = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicUsize::new(0));
        let step = args.refusers;
        let flood: Vec<_> = (0..args.refusers)
            .map(|n| {
                let (signed, post) = (signed.clone(), post.clone());
                let (stop, refused) = (stop.clone(), refused.clone());
                tokio::spawn(async move {
                    let mut i = n;
                    while !stop.load(Ordering::Relaxed) {
                        let (body, _) = signed[i % signed.len()].clone();
                        if post(body, sign("not-the-secret", b"x"), 401).await {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        i += step;
                    }
                })
            })
            .collect();
        let mut beside = {
            let (signed, post, offset) = (signed.clone(), post.clone(), args.leads);
            run_load(args.leads, args.concurrency, move |i| {
                let (body, signature) = signed[offset + i].clone();
                post(body, signature, 200)
            })
            .await
        };
        stop.store(true, Ordering::Relaxed);
        for client in flood {
            let _ = client.await;
        }
        let label = format!("first deliveries beside {} refusing clients", args.refusers);
        println!("{}", beside.summary(&label));
        let alone = first.latencies.len() as f64 / first.elapsed.as_secs_f64();
        let with_flood = beside.latencies.len() as f64 / beside.elapsed.as_secs_f64();
        println!(
            "  meanwhile {} refused = {:.0}/s; verified throughput {:.0} % of alone",
            refused.load(Ordering::Relaxed),
            refused.load(Ordering::Relaxed) as f64 / beside.elapsed.as_secs_f64(),
            100.0 * with_flood / alone,
        );
        first.failures += beside.failures;
    }
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
    println!("leads booked exactly once: {booked_once} of {total_leads}; event rows: {events}");
    drop(server);
    db.close().await;
    database.drop_database().await?;
    let failures = first.failures + again.failures + forged.failures;
    if booked_once != total_leads as i64 || events != total_leads as i64 || failures > 0 {
        bail!("{booked_once} leads booked once, {events} events, {failures} unexpected answers");
    }
    Ok(())
}
