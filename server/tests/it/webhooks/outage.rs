//! The database goes away in the middle of a run of signed deliveries and comes back: every
//! answer during the outage is 202 (spooled), none 503, and afterwards every delivery is
//! applied exactly once, in Cal.com's order, even where a lead's later event arrived live
//! before its earlier one was replayed.

use std::time::Duration;

use app::ssr::calcom::payloads;
use reqwest::StatusCode;

use super::{at, booking, count, deliver, lead_booking, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend};

on_both_backends!(a_run_of_deliveries_across_an_outage_is_applied_once_in_order);

async fn a_run_of_deliveries_across_an_outage_is_applied_once_in_order(backend: Backend) {
    let app = spawn_app(backend).await;
    // A locked SQLite file makes each delivery wait out the busy timeout: fewer of them.
    let leads_in_run = match backend {
        Backend::Sqlite => 6,
        Backend::Postgres => 30,
    };
    let mut leads = Vec::new();
    for _ in 0..leads_in_run {
        leads.push(seed_lead(&app.state.db).await);
    }
    // Each lead's booking is created, then cancelled: all creations first, then all
    // cancellations, so the outage (the middle half of the run) spools the later creations
    // and the earlier cancellations.
    let mut run = Vec::new();
    for (i, lead) in leads.iter().enumerate() {
        let facts = booking(lead, &format!("uidOutage{i:03}"), "2026-10-01T09:00:00Z");
        let sent = at("2026-09-20T10:00:00Z") + jiff::SignedDuration::from_mins(i as i64);
        run.push(payloads::booking_created(&facts, sent));
    }
    for (i, lead) in leads.iter().enumerate() {
        let facts = booking(lead, &format!("uidOutage{i:03}"), "2026-10-01T09:00:00Z");
        let sent = at("2026-09-21T10:00:00Z") + jiff::SignedDuration::from_mins(i as i64);
        run.push(payloads::booking_cancelled(
            &facts,
            Some("Plans changed"),
            sent,
        ));
    }
    let (from, to) = (run.len() / 4, run.len() * 3 / 4);

    let mut outage = None;
    let (mut applied_live, mut spooled, mut refused) = (0, 0, 0);
    for (n, body) in run.iter().enumerate() {
        if n == from {
            outage = Some(app.db().outage().await);
        }
        if n == to {
            outage.take().expect("an outage").end().await;
        }
        let (status, json) = deliver(&app, body).await;
        match status {
            StatusCode::OK => applied_live += 1,
            StatusCode::ACCEPTED => spooled += 1,
            _ => refused += 1,
        }
        if (from..to).contains(&n) {
            assert_eq!(status, StatusCode::ACCEPTED, "during the outage: {json}");
        }
    }
    assert_eq!(refused, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while app.state.spool.waiting().await.expect("spool").0 > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the spool did not drain"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Held cancellations are released as soon as their booking is known.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let cancelled = count(
            &app.state.db,
            "select count(*) from leads where stage = 'cancelled'",
        )
        .await;
        if cancelled == leads_in_run as i64 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{cancelled} of {leads_in_run} cancelled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for lead in &leads {
        let stored = lead_booking(&app.state.db, lead).await;
        assert_eq!(stored.stage, "cancelled");
        assert_eq!(stored.cancellation_reason.as_deref(), Some("Plans changed"));
        assert_eq!(stored.last_event.as_deref(), Some("BOOKING_CANCELLED"));
    }
    let logged = count(&app.state.db, "select count(*) from booking_events").await;
    assert_eq!(logged, run.len() as i64, "each delivery once");
    eprintln!(
        "{backend:?}: sent {}, answered 200 {applied_live}, 202 {spooled}, applied after recovery {logged}",
        run.len()
    );
}
