//! `kill -9` of the real `server` process while it spools deliveries and again while it
//! replays them: every delivery answered 2xx ends up in the event log, and none twice.

use std::{
    collections::BTreeSet,
    path::Path,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use app::ssr::calcom::{payloads, signature::sign};

use super::{at, booking, count};
use crate::on_both_backends;
use crate::support::{app::WEBHOOK_SECRET, process::ServerProcess, Backend, TestDb};

on_both_backends!(a_kill_while_spooling_and_while_replaying_loses_and_doubles_nothing);

fn spooled(spool: &Path) -> usize {
    std::fs::read_dir(spool)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".delivery"))
                .count()
        })
        .unwrap_or(0)
}

/// A delivery of a booking made without our submission id: logged and held, one row each.
fn body(n: usize) -> (String, String) {
    let uid = format!("uidCrash{n:05}");
    let mut facts = booking("unused", &uid, "2026-10-01T09:00:00Z");
    facts.submission_id = None;
    (
        uid,
        payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
    )
}

async fn a_kill_while_spooling_and_while_replaying_loses_and_doubles_nothing(backend: Backend) {
    let db = TestDb::new(backend).await;
    db.migrated().await.close().await;
    let spool_dir = tempfile::tempdir().expect("a spool folder");
    let spool = spool_dir.path();

    let mut first = ServerProcess::start(&db, spool, &[]);
    first.wait_until_up().await;
    let outage = db.outage().await;

    // Clients send as fast as they can until the process dies under them.
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let sent = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients = match backend {
        // SQLite writers wait out the lock, so each request takes a while: more clients.
        Backend::Sqlite => 32,
        Backend::Postgres => 8,
    };
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (acknowledged, sent, stop) = (acknowledged.clone(), sent.clone(), stop.clone());
            let url = format!("{}/api/webhooks/cal-com", first.url);
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                while !stop.load(Ordering::SeqCst) {
                    let (uid, body) = body(sent.fetch_add(1, Ordering::SeqCst));
                    let answer = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-cal-signature-256", sign(WEBHOOK_SECRET, body.as_bytes()))
                        .body(body)
                        .send()
                        .await;
                    match answer {
                        Ok(response) if response.status().is_success() => {
                            acknowledged.lock().expect("lock").insert(uid);
                        }
                        Ok(_) => {}
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            })
        })
        .collect();
    let spooling_for = match backend {
        Backend::Sqlite => Duration::from_secs(8),
        Backend::Postgres => Duration::from_millis(1500),
    };
    tokio::time::sleep(spooling_for).await;
    first.kill();
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        task.await.expect("a client");
    }
    outage.end().await;
    let waiting = spooled(spool);
    let answered = acknowledged.lock().expect("lock").clone();
    assert!(
        answered.len() >= 10,
        "only {} deliveries were spooled",
        answered.len()
    );
    assert!(
        waiting >= answered.len(),
        "{waiting} entries for {} answers",
        answered.len()
    );

    // Killed again once the replay is under way…
    let mut second = ServerProcess::start(&db, spool, &[]);
    for _ in 0..2000 {
        let left = spooled(spool);
        if left < waiting || left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let left_at_kill = spooled(spool);
    second.kill();

    // …and a third start finishes it.
    let mut third = ServerProcess::start(&db, spool, &[]);
    third.wait_until_up().await;
    for _ in 0..600 {
        if spooled(spool) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(spooled(spool), 0, "the spool drains");
    third.kill();

    let events = db.connect().await;
    for uid in &answered {
        let sql = format!("select count(*) from booking_events where booking_uid = '{uid}'");
        assert_eq!(count(&events, &sql).await, 1, "{uid} was answered 2xx");
    }
    let logged = count(&events, "select count(*) from booking_events").await;
    let distinct = count(
        &events,
        "select count(distinct booking_uid) from booking_events",
    )
    .await;
    assert_eq!(logged, distinct, "no delivery is logged twice");
    assert!(logged as usize <= sent.load(Ordering::SeqCst));
    eprintln!(
        "sent {}, answered 2xx {}, spooled {waiting}, left when killed while replaying \
         {left_at_kill}, logged {logged}",
        sent.load(Ordering::SeqCst),
        answered.len()
    );
    events.close().await;
}
