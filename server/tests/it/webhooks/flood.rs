//! A flood of unsigned and mis-signed junk on the webhook route does not cost Cal.com's real
//! deliveries anything but time: while 32 clients send junk as fast as they can, 1,000 signed
//! deliveries are all answered 2xx and applied, each once.

use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Arc,
};

use app::ssr::calcom::{payloads, signature::sign};
use futures::{stream, StreamExt};
use reqwest::StatusCode;

use super::{at, booking, count, seed_lead};
use crate::on_both_backends;
use crate::support::{app::WEBHOOK_SECRET, spawn_app, Backend};

on_both_backends!(real_deliveries_all_land_while_junk_floods_the_route);

const FLOODERS: usize = 32;
const REAL: usize = 1_000;

/// Counts of the junk sent and how it was answered.
#[derive(Default)]
struct Junk {
    sent: AtomicUsize,
    refused: AtomicUsize,
    other: AtomicUsize,
}

async fn real_deliveries_all_land_while_junk_floods_the_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut leads = Vec::with_capacity(REAL);
    for _ in 0..REAL {
        leads.push(seed_lead(&app.state.db).await);
    }
    let url = app.url("/api/webhooks/cal-com");
    let stop = Arc::new(AtomicBool::new(false));
    let junk = Arc::new(Junk::default());
    let flooders: Vec<_> = (0..FLOODERS)
        .map(|n| {
            let (client, url, stop, junk) =
                (app.client.clone(), url.clone(), stop.clone(), junk.clone());
            tokio::spawn(async move {
                // Half send no signature, half a wrong one; bodies look like deliveries.
                let body = format!(r#"{{"triggerEvent":"BOOKING_CREATED","payload":{{"n":{n}}}}}"#)
                    .repeat(20);
                while !stop.load(Ordering::Relaxed) {
                    let mut request = client.post(&url).body(body.clone());
                    if n % 2 == 1 {
                        request = request.header("x-cal-signature-256", "00".repeat(32));
                    }
                    junk.sent.fetch_add(1, Ordering::Relaxed);
                    match request.send().await.map(|r| r.status()) {
                        Ok(StatusCode::UNAUTHORIZED) => {
                            junk.refused.fetch_add(1, Ordering::Relaxed)
                        }
                        _ => junk.other.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();

    let started = std::time::Instant::now();
    let answers: Vec<(StatusCode, serde_json::Value)> = stream::iter(leads.iter().enumerate())
        .map(|(i, id)| {
            let (client, url) = (app.client.clone(), url.clone());
            let facts = booking(id, &format!("bk_flood_{i}"), "2026-12-10T09:00:00Z");
            let body = payloads::booking_created(&facts, at("2026-11-30T10:00:00Z"));
            async move {
                let response = client
                    .post(&url)
                    .header("x-cal-signature-256", sign(WEBHOOK_SECRET, body.as_bytes()))
                    .body(body)
                    .send()
                    .await
                    .expect("answered");
                let status = response.status();
                (status, response.json().await.unwrap_or_default())
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for flooder in flooders {
        flooder.await.expect("flooder");
    }

    let applied = answers
        .iter()
        .filter(|(status, json)| *status == StatusCode::OK && json["result"] == "applied")
        .count();
    let not_2xx: Vec<_> = answers.iter().filter(|(s, _)| !s.is_success()).collect();
    let events = count(&app.state.db, "select count(*) from booking_events").await;
    let booked = count(
        &app.state.db,
        "select count(*) from leads where booking_uid like 'bk_flood_%'",
    )
    .await;
    let (sent, refused, other) = (
        junk.sent.load(Ordering::Relaxed),
        junk.refused.load(Ordering::Relaxed),
        junk.other.load(Ordering::Relaxed),
    );
    println!(
        "flood ({backend:?}): junk sent {sent}, refused 401 {refused}, other {other}; \
         real sent {REAL}, applied {applied}, stored events {events}, leads booked {booked}, \
         in {elapsed:.1?}"
    );
    assert!(
        not_2xx.is_empty(),
        "{} real deliveries refused: {:?}",
        not_2xx.len(),
        &not_2xx[..not_2xx.len().min(3)]
    );
    assert_eq!(applied, REAL);
    assert_eq!((events, booked), (REAL as i64, REAL as i64));
    assert!(sent > REAL, "the junk really flooded: {sent}");
    assert_eq!(other, 0, "every junk request is refused 401");
    assert_eq!(
        count(&app.state.db, "select count(*) from webhook_failures").await,
        0,
        "junk never reaches the database"
    );
}
