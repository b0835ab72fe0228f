//! The dashboard's tallies follow `BUSINESS_TIME_ZONE`: counted at the first start in its
//! zone, they stop a later start in another zone with a message naming the command, and
//! `server rebuild-tallies` counts them again so the dashboard's days are the new zone's.

use std::process::Command;

use app::{
    domain::metrics::Window,
    ssr::{
        db::{on_pool, DbTime},
        store::{metrics, tallies},
    },
};
use axum::Router;
use jiff::{civil::date, tz::TimeZone};
use server::{
    config::{Config, Source},
    startup::Application,
};

use crate::{
    on_both_backends,
    support::{Backend, TestDb},
};

on_both_backends!(a_new_business_zone_needs_the_tallies_counted_again);

const VARS: [(&str, &str); 3] = [
    ("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret"),
    ("CAL_LINK", "acme/intro"),
    ("BUSINESS_TIME_ZONE", "Europe/Berlin"),
];

async fn leads_on(db: &app::ssr::db::Db, zone: &TimeZone, day: jiff::civil::Date) -> i64 {
    let window = Window::new(day, day).expect("a window");
    let cache = metrics::PercentileCache::new();
    let (metrics, _) = metrics::for_window_and_prior(db, &cache, &window, zone, None)
        .await
        .expect("metrics");
    metrics.leads
}

async fn a_new_business_zone_needs_the_tallies_counted_again(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let (utc, berlin) = (
        TimeZone::UTC,
        TimeZone::get("Europe/Berlin").expect("a zone"),
    );
    assert!(
        tallies::ensure(&db, &utc).await.expect("counted").is_some(),
        "the first start counts them"
    );
    assert!(tallies::ensure(&db, &utc)
        .await
        .expect("same zone")
        .is_none());
    // 23:30 UTC on 10 March is already 11 March in Berlin.
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into leads (submission_id, name, email, message, consented_at, source, created_at) \
         values ('late', 'A Lead', 'lead@example.com', 'Hello', $1, 'direct', $1)",
    )
    .bind(DbTime::new("2026-03-10T23:30:00Z".parse().expect("a time")))
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("a lead");
    assert_eq!(leads_on(&db, &utc, date(2026, 3, 10)).await, 1);

    let mut pairs = vec![
        ("DATABASE_URL", test_db.url.as_str()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ];
    pairs.extend(VARS);
    let config = Config::from_source(&Source::from_pairs(pairs.clone())).expect("valid");
    let refused = Application::build_with_routes(config, Router::new())
        .await
        .err()
        .expect("a start in another zone is refused");
    let message = format!("{refused:#}");
    assert!(
        message.contains("counted in UTC")
            && message.contains("Europe/Berlin")
            && message.contains("server rebuild-tallies"),
        "{message}"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .current_dir(std::env::temp_dir())
        .envs(pairs.iter().copied())
        .arg("rebuild-tallies")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("in Europe/Berlin: 1 cohort rows"),
        "{stdout}"
    );

    assert_eq!(leads_on(&db, &berlin, date(2026, 3, 11)).await, 1);
    assert_eq!(leads_on(&db, &berlin, date(2026, 3, 10)).await, 0);
    let config = Config::from_source(&Source::from_pairs(pairs)).expect("valid");
    assert!(
        Application::build_with_routes(config, Router::new())
            .await
            .is_ok(),
        "starts in the zone the tallies are counted in"
    );
    db.close().await;
}
