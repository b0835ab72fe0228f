//! The dashboard's SQL against its pure reference (`domain::metrics`): random datasets are
//! loaded into each backend, and for random windows and source filters the database must
//! answer exactly what the reference answers: every number of the window and its prior
//! period, the source breakdown, the weekly trend, the latest no-shows and cancellations and
//! the feed's health. The counts come from the day tallies the database keeps as leads are
//! written (inserted, updated, deleted), and must also hold after they are counted again.

mod dataset;
mod http;

use app::{
    domain::metrics::{
        compute, recent_lost, source_counts, trend_weeks, week_boundaries, week_counts, FeedHealth,
        Metrics, Window,
    },
    ssr::store::{leads, metrics, tallies},
};
use jiff::{civil::date, tz::TimeZone};
use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::{
    on_both_backends,
    support::{Backend, TestDb},
};
use dataset::{insert_lead, load, random_dataset, random_window, Dataset, SOURCES};

on_both_backends!(
    the_sql_dashboard_equals_the_reference_on_random_data,
    a_cached_percentile_follows_a_changed_wait,
    percentiles_are_computed_again_only_when_a_wait_can_move
);

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

/// The business's time zone of a seed: UTC, or zones whose clocks change inside the data's
/// months (and one that is ahead of UTC, one behind).
fn zone_of(seed: u64) -> TimeZone {
    let name = ["UTC", "Europe/Berlin", "America/New_York"][(seed % 3) as usize];
    TimeZone::get(name).expect("a zone")
}

async fn check_window(
    db: &app::ssr::db::Db,
    cache: &metrics::PercentileCache,
    data: &Dataset,
    (window, zone): (Window, &TimeZone),
    source: Option<&str>,
    context: &str,
) {
    let (period, prior) = (window.period(zone), window.prior().period(zone));
    let (now, before) = metrics::for_window_and_prior(db, cache, &window, zone, source)
        .await
        .expect("metrics");
    for (sql, period) in [(now, period), (before, prior)] {
        let reference = compute(&data.leads, &period, source);
        assert_same(&sql, &reference, &format!("{context}, {window:?}"));
    }

    let weeks = trend_weeks(&window);
    let bounds = week_boundaries(&weeks, zone);
    assert_eq!(
        metrics::weekly(db, weeks[0], weeks.len(), source)
            .await
            .expect("weekly"),
        week_counts(&data.leads, &bounds, source),
        "{context}: weekly trend"
    );

    let lost = leads::recent_lost(db, source, 20)
        .await
        .expect("recent lost");
    let expected = recent_lost(&data.leads, source, 20);
    assert_eq!(
        lost.iter()
            .map(|row| (row.submission_id.as_str(), row.stage))
            .collect::<Vec<_>>(),
        expected
            .iter()
            .map(|lead| (lead.submission_id.as_str(), lead.stage))
            .collect::<Vec<_>>(),
        "{context}: recent no-shows and cancellations"
    );
}

async fn the_sql_dashboard_equals_the_reference_on_random_data(backend: Backend) {
    for seed in 0..10u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let test_db = TestDb::new(backend).await;
        let db = test_db.migrated().await;
        let size = if seed == 0 {
            0
        } else {
            rng.random_range(1..160)
        };
        let data = random_dataset(&mut rng, size);
        let zone = zone_of(seed);
        tallies::rebuild(&db, &zone)
            .await
            .expect("an empty calendar");
        load(&db, &data, &mut rng).await;
        let cache = metrics::PercentileCache::new();

        assert_eq!(
            metrics::feed_health(&db, app::ssr::db::DbTime::now())
                .await
                .expect("feed health"),
            FeedHealth::of(&data.item_facts(), &data.received, &data.leads),
            "seed {seed}: feed health"
        );
        for round in 0..12 {
            let window = if round == 0 {
                Window::new(date(2030, 1, 1), date(2030, 1, 31)).expect("an empty window")
            } else {
                random_window(&mut rng)
            };
            if round == 6 {
                // Counted again from the leads, the tallies say what the triggers kept.
                tallies::rebuild(&db, &zone).await.expect("a rebuild");
            }
            let period = window.period(&zone);
            assert_eq!(
                metrics::by_source(&db, &window).await.expect("by source"),
                source_counts(&data.leads, &period),
                "seed {seed}, {window:?}: source breakdown"
            );
            for source in [
                None,
                Some(SOURCES[rng.random_range(0..SOURCES.len())]),
                Some("nowhere"),
            ] {
                let context = format!("seed {seed}, {size} leads, {zone:?}, source {source:?}");
                check_window(&db, &cache, &data, (window, &zone), source, &context).await;
            }
        }
        db.close().await;
    }
}

/// A new first-booking time changes a wait but no count: the cached percentile must not
/// outlive it, nor a rebuild.
async fn a_cached_percentile_follows_a_changed_wait(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let zone = TimeZone::get("Europe/Berlin").expect("a zone");
    tallies::rebuild(&db, &zone).await.expect("a calendar");
    let mut rng = StdRng::seed_from_u64(7);
    let mut data = random_dataset(&mut rng, 60);
    load(&db, &data, &mut rng).await;
    let window = Window::new(date(2026, 1, 1), date(2026, 6, 30)).expect("a window");
    let period = window.period(&zone);
    let cache = metrics::PercentileCache::new();
    let ask = || metrics::for_window_and_prior(&db, &cache, &window, &zone, None);

    let first = ask().await.expect("metrics").0;
    assert_same(&first, &compute(&data.leads, &period, None), "first");
    assert_eq!(ask().await.expect("metrics").0, first, "served again");

    // The quickest booking becomes the slowest: every wait above it moves down a rank.
    let booked = data
        .leads
        .iter_mut()
        .filter(|l| l.first_booked_at.is_some() && period.contains(l.created_at))
        .min_by_key(|l| l.first_booked_at.map(|at| at.duration_since(l.created_at)))
        .expect("a booked lead in the window");
    booked.first_booked_at = booked.first_booked_at.and_then(|at| {
        at.checked_add(jiff::SignedDuration::from_hours(24 * 90))
            .ok()
    });
    let changed = booked.clone();
    dataset::update_booking(&db, &changed).await;
    let after = ask().await.expect("metrics").0;
    assert_same(
        &after,
        &compute(&data.leads, &period, None),
        "after the change",
    );
    assert_ne!(
        after.time_to_book_p50_seconds, first.time_to_book_p50_seconds,
        "the change moved the percentile"
    );

    tallies::rebuild(&db, &zone).await.expect("a rebuild");
    assert_same(
        &ask().await.expect("metrics").0,
        &compute(&data.leads, &period, None),
        "after a rebuild",
    );
    db.close().await;
}

/// A new lead that has not booked, and a booked lead's outcome, change counts but no wait:
/// the counts move and the percentiles are served from memory. A first booking makes them be
/// read from the leads again.
async fn percentiles_are_computed_again_only_when_a_wait_can_move(backend: Backend) {
    use app::domain::{booking::Stage, metrics::LeadFacts};

    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let zone = TimeZone::get("America/New_York").expect("a zone");
    tallies::rebuild(&db, &zone).await.expect("a calendar");
    let mut rng = StdRng::seed_from_u64(11);
    let mut data = random_dataset(&mut rng, 80);
    load(&db, &data, &mut rng).await;
    let window = Window::new(date(2026, 1, 1), date(2026, 6, 30)).expect("a window");
    let period = window.period(&zone);
    let cache = metrics::PercentileCache::new();
    let ask = || metrics::for_window_and_prior(&db, &cache, &window, &zone, None);
    let check = |sql: &Metrics, data: &Dataset, context: &str| {
        assert_same(sql, &compute(&data.leads, &period, None), context);
    };

    check(&ask().await.expect("metrics").0, &data, "first");
    let computed = cache.computations();
    assert!(computed > 0, "the first request reads the percentiles");

    let newcomer = LeadFacts {
        submission_id: uuid::Uuid::new_v4().to_string(),
        source: SOURCES[0].to_string(),
        stage: Stage::New,
        created_at: period
            .start
            .checked_add(jiff::SignedDuration::from_hours(30))
            .expect("a time"),
        invited_at: None,
        first_booked_at: None,
        booking_end: None,
        reschedule_count: 0,
        last_event_at: None,
    };
    insert_lead(&db, &newcomer).await;
    data.leads.push(newcomer.clone());
    let attended = data
        .leads
        .iter_mut()
        .find(|l| l.stage == Stage::Booked && period.contains(l.created_at))
        .expect("a booked lead in the window");
    attended.stage = Stage::Completed;
    let attended = attended.clone();
    dataset::update_booking(&db, &attended).await;

    let after = ask().await.expect("metrics").0;
    check(&after, &data, "after a new lead and an outcome");
    assert_eq!(cache.computations(), computed, "no wait moved");

    let booked = data
        .leads
        .iter_mut()
        .find(|l| l.submission_id == newcomer.submission_id)
        .expect("the newcomer");
    booked.stage = Stage::Booked;
    booked.invited_at = Some(booked.created_at);
    booked.first_booked_at = booked
        .created_at
        .checked_add(jiff::SignedDuration::from_secs(90))
        .ok();
    booked.booking_end = booked
        .created_at
        .checked_add(jiff::SignedDuration::from_hours(50))
        .ok();
    let booked = booked.clone();
    dataset::update_booking(&db, &booked).await;
    check(
        &ask().await.expect("metrics").0,
        &data,
        "after a first booking",
    );
    assert!(cache.computations() > computed, "a new wait is read");
    db.close().await;
}
