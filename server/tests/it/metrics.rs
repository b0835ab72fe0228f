//! The dashboard's SQL against its pure reference: random datasets (several sources and
//! months, bookings with reschedules, cancellations, outcomes and missing outcomes, requests
//! that never became bookings) are loaded into each backend, and for random windows and
//! source filters the database must answer exactly what `domain::metrics::compute` answers.

use app::{
    domain::{
        booking::Stage,
        metrics::{compute, LeadFacts, Metrics, Window},
    },
    ssr::{
        db::{on_pool, Db, DbTime},
        store::metrics,
    },
};
use jiff::{civil::date, SignedDuration, Timestamp, ToSpan};
use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::{
    on_both_backends,
    support::{Backend, TestDb},
};

on_both_backends!(the_sql_metrics_equal_the_reference_on_random_data);

const SOURCES: [&str; 4] = ["direct", "spring", "partner.example", "newsletter"];

fn random_lead(rng: &mut StdRng) -> LeadFacts {
    let base: Timestamp = "2026-01-01T00:00:00Z".parse().expect("a time");
    let offset = |rng: &mut StdRng, max_secs: i64| {
        SignedDuration::from_micros(rng.random_range(0..max_secs * 1_000_000))
    };
    let created_at = base.checked_add(offset(rng, 180 * 86_400)).expect("a time");
    let invited_at = rng
        .random_bool(0.8)
        .then(|| created_at.checked_add(offset(rng, 3_600)).expect("a time"));
    let source = SOURCES[rng.random_range(0..SOURCES.len())].to_owned();
    let mut lead = LeadFacts {
        source,
        stage: if invited_at.is_some() {
            Stage::Invited
        } else {
            Stage::New
        },
        created_at,
        invited_at,
        first_booked_at: None,
        booking_end: None,
        reschedule_count: 0,
    };
    match rng.random_range(0..10) {
        // Booked at some point, then anything may have happened.
        0..=5 => {
            let booked = created_at
                .checked_add(offset(rng, 20 * 86_400))
                .expect("a time");
            lead.first_booked_at = Some(booked);
            lead.booking_end = Some(
                booked
                    .checked_add(offset(rng, 40 * 86_400))
                    .expect("a time"),
            );
            lead.reschedule_count = [0, 0, 0, 1, 2, 3][rng.random_range(0..6)];
            lead.stage = match rng.random_range(0..6) {
                0 => Stage::Cancelled,
                1 => Stage::Completed,
                2 => Stage::NoShow,
                // No outcome (yet, or ever: a missing event).
                _ if lead.reschedule_count > 0 => Stage::Rescheduled,
                _ => Stage::Booked,
            };
        }
        // A request the host never accepted: a slot, but never booked.
        6 => {
            lead.booking_end = Some(
                created_at
                    .checked_add(offset(rng, 30 * 86_400))
                    .expect("a time"),
            );
            lead.stage =
                [Stage::Requested, Stage::Rejected, Stage::Cancelled][rng.random_range(0..3)];
        }
        _ => {}
    }
    lead
}

fn random_window(rng: &mut StdRng) -> Window {
    let first = date(2025, 12, 1);
    let from = first
        .checked_add(rng.random_range(0..260i64).days())
        .expect("a date");
    let days: i64 = [0, 0, 6, 29, 89, 400][rng.random_range(0..6)];
    Window::new(from, from.checked_add(days.days()).expect("a date")).expect("a window")
}

async fn load(db: &Db, leads: &[LeadFacts]) {
    for lead in leads {
        let at = |t: Option<Timestamp>| t.map(DbTime::new);
        on_pool!(db.writes(), pool => sqlx::query(
            "insert into leads (submission_id, name, email, message, consented_at, source, stage, \
             created_at, invited_at, first_booked_at, booking_end, reschedule_count) \
             values ($1, 'A Lead', 'lead@example.com', 'Generated.', $2, $3, $4, $2, $5, $6, $7, $8)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(DbTime::new(lead.created_at))
        .bind(lead.source.as_str())
        .bind(lead.stage.as_str())
        .bind(at(lead.invited_at))
        .bind(at(lead.first_booked_at))
        .bind(at(lead.booking_end))
        .bind(lead.reschedule_count)
        .execute(pool)
        .await
        .map(|_| ()))
        .expect("insert a lead");
    }
}

/// Equal, with percentiles to a millisecond (SQLite computes them from day fractions).
fn assert_same(sql: &Metrics, reference: &Metrics, context: &str) {
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-3,
        (None, None) => true,
        _ => false,
    };
    assert!(
        close(
            sql.time_to_book_p50_seconds,
            reference.time_to_book_p50_seconds
        ) && close(
            sql.time_to_book_p90_seconds,
            reference.time_to_book_p90_seconds
        ),
        "{context}: percentiles {sql:?} vs {reference:?}"
    );
    let without_percentiles = |m: &Metrics| Metrics {
        time_to_book_p50_seconds: None,
        time_to_book_p90_seconds: None,
        ..m.clone()
    };
    assert_eq!(
        without_percentiles(sql),
        without_percentiles(reference),
        "{context}"
    );
}

async fn the_sql_metrics_equal_the_reference_on_random_data(backend: Backend) {
    for seed in 0..10u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let test_db = TestDb::new(backend).await;
        let db = test_db.connect().await;
        db.migrate().await.expect("migrations");
        let size = if seed == 0 {
            0
        } else {
            rng.random_range(1..160)
        };
        let leads: Vec<LeadFacts> = (0..size).map(|_| random_lead(&mut rng)).collect();
        load(&db, &leads).await;

        for round in 0..12 {
            let window = if round == 0 {
                Window::new(date(2030, 1, 1), date(2030, 1, 31)).expect("an empty window")
            } else {
                random_window(&mut rng)
            };
            for source in [
                None,
                Some(SOURCES[rng.random_range(0..SOURCES.len())]),
                Some("nowhere"),
            ] {
                let (now, before) = metrics::for_window_and_prior(&db, &window, source)
                    .await
                    .expect("metrics");
                for (sql, window) in [(now, window), (before, window.prior())] {
                    let reference = compute(&leads, &window, source);
                    assert_same(
                        &sql,
                        &reference,
                        &format!("seed {seed}, {size} leads, {window:?}, source {source:?}"),
                    );
                }
            }
        }
        db.close().await;
    }
}
