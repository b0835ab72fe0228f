//! The browser test's dashboard history (`end2end/fixtures/dashboard-history.json`) against the
//! pure reference: the history is turned into lead facts for a fixed "now", the reference
//! computes the last 30 days and the prior period, and every tile text the fixture expects
//! must stand for the numbers the reference answers. The browser test checks the same texts
//! on the page, so the page, the fixture and the reference agree or one of the tests fails.

use std::path::Path;

use app::domain::{
    booking::Stage,
    metrics::{
        compare, compute, CountChange, LeadFacts, MetricsChange, RateChange, SecondsChange, Window,
    },
};
use jiff::{tz::TimeZone, SignedDuration, Timestamp};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    days: i16,
    leads: Vec<FixtureLead>,
    tiles: std::collections::BTreeMap<String, TileText>,
}

#[derive(Deserialize)]
struct FixtureLead {
    name: String,
    created: Ago,
    invited: Option<Ago>,
    first_booked: Option<Ago>,
    booking_end: Option<Ago>,
    stage: Stage,
    reschedule_count: i32,
    last_event: Option<Ago>,
}

/// Now minus this much.
#[derive(Clone, Copy, Deserialize)]
struct Ago {
    days_ago: i64,
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    minutes: i64,
}

impl Ago {
    fn before(self, now: Timestamp) -> Timestamp {
        let minutes = (self.days_ago * 24 + self.hours) * 60 + self.minutes;
        now.checked_sub(SignedDuration::from_mins(minutes))
            .expect("a time")
    }
}

#[derive(Deserialize)]
struct TileText {
    value: String,
    change: String,
}

fn fixture() -> Fixture {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures/dashboard-history.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the fixture parses")
}

fn facts(fixture: &Fixture, now: Timestamp) -> Vec<LeadFacts> {
    let at = |ago: Option<Ago>| ago.map(|a| a.before(now));
    fixture
        .leads
        .iter()
        .map(|lead| LeadFacts {
            submission_id: lead.name.clone(),
            source: "history".to_owned(),
            stage: lead.stage,
            created_at: lead.created.before(now),
            invited_at: at(lead.invited),
            first_booked_at: at(lead.first_booked),
            booking_end: at(lead.booking_end),
            reschedule_count: lead.reschedule_count,
            last_event_at: at(lead.last_event),
        })
        .collect()
}

/// The tiles' numbers for the fixture's window ending on `now`'s day, as `/dashboard?days=…`
/// computes them.
fn reference(fixture: &Fixture, now: Timestamp) -> MetricsChange {
    let leads = facts(fixture, now);
    let today = TimeZone::UTC.to_datetime(now).date();
    let window = Window::last_days(today, fixture.days);
    let zone = TimeZone::UTC;
    let current = compute(&leads, &window.period(&zone), Some("history"));
    let prior = compute(&leads, &window.prior().period(&zone), Some("history"));
    compare(&current, &prior)
}

/// A number as a tile writes it: `digits` after the point, so it stands for anything within
/// half a unit of the last digit.
fn stands_for(text: &str, number: f64, what: &str) {
    let shown: f64 = text
        .replace('−', "-")
        .parse()
        .unwrap_or_else(|_| panic!("{what}: {text:?} is not a number"));
    let digits = text.split('.').nth(1).map_or(0, str::len);
    let half_unit = 0.5 * 10f64.powi(-(digits as i32));
    assert!(
        (shown - number).abs() <= half_unit + 1e-9,
        "{what}: the tile says {text}, the reference {number}"
    );
}

/// "42.5 %" or "—".
fn check_percent(text: &str, rate: Option<f64>, what: &str) {
    match (text.strip_suffix(" %"), rate) {
        (Some(number), Some(rate)) => stands_for(number, rate * 100.0, what),
        (None, None) => assert_eq!(text, "—", "{what}"),
        _ => panic!("{what}: the tile says {text:?}, the reference {rate:?}"),
    }
}

/// "45 min", "3.5 h", "2.1 days", "−2.0 h" or "—"; the unit must be the one the size calls for.
fn check_duration(text: &str, seconds: Option<f64>, what: &str) {
    let Some(seconds) = seconds else {
        return assert_eq!(text, "—", "{what}");
    };
    let (number, unit) = text
        .rsplit_once(' ')
        .unwrap_or_else(|| panic!("{what}: {text:?} has no unit"));
    let (size, range) = match unit {
        "min" => (60.0, 0.0..3_600.0),
        "h" => (3_600.0, 3_600.0..172_800.0),
        "days" => (86_400.0, 172_800.0..f64::INFINITY),
        _ => panic!("{what}: {text:?} has an unknown unit"),
    };
    assert!(
        range.contains(&seconds.abs()),
        "{what}: {seconds} s is not written in {unit}"
    );
    stands_for(number, seconds / size, what);
}

/// "<change> vs <prior> before".
fn split_change<'a>(text: &'a str, what: &str) -> (&'a str, &'a str) {
    text.strip_suffix(" before")
        .and_then(|t| t.split_once(" vs "))
        .unwrap_or_else(|| panic!("{what}: {text:?} is not \"… vs … before\""))
}

fn check_count(tile: &TileText, count: &CountChange, what: &str) {
    assert_eq!(tile.value, count.current.to_string(), "{what}");
    let (change, prior) = split_change(&tile.change, what);
    assert_eq!(prior, count.prior.to_string(), "{what}: prior");
    let (delta, pct) = match change.split_once(" (") {
        Some((delta, pct)) => (delta, pct.strip_suffix(" %)")),
        None => (change, None),
    };
    assert_eq!(
        delta,
        format!("{:+}", count.delta).replace('-', "−"),
        "{what}: delta"
    );
    match (pct, count.delta_pct) {
        (Some(text), Some(pct)) => stands_for(text, pct, what),
        (None, None) => {}
        _ => panic!(
            "{what}: {change:?} against a change of {:?} %",
            count.delta_pct
        ),
    }
}

fn check_rate(tile: &TileText, rate: &RateChange, what: &str) {
    check_percent(&tile.value, rate.current, what);
    let (change, prior) = split_change(&tile.change, what);
    check_percent(prior, rate.prior, &format!("{what}, prior"));
    match (change.strip_suffix(" pp"), rate.delta_pp) {
        (Some(points), Some(delta)) => stands_for(points, delta, &format!("{what}, change")),
        (None, None) => assert_eq!(change, "—", "{what}"),
        _ => panic!(
            "{what}: {change:?} against a change of {:?} pp",
            rate.delta_pp
        ),
    }
}

fn check_seconds(tile: &TileText, seconds: &SecondsChange, what: &str) {
    check_duration(&tile.value, seconds.current, what);
    let (change, prior) = split_change(&tile.change, what);
    check_duration(prior, seconds.prior, &format!("{what}, prior"));
    let change = match seconds.delta {
        Some(delta) if delta >= 0.0 => change
            .strip_prefix('+')
            .unwrap_or_else(|| panic!("{what}: a rise of {delta} s without its +")),
        _ => change,
    };
    check_duration(change, seconds.delta, &format!("{what}, change"));
}

fn check_tiles(fixture: &Fixture, m: &MetricsChange, now: Timestamp) {
    let f = &m.funnel;
    let counts = [
        ("leads", &m.leads),
        ("funnel_invited", &f.invited),
        ("funnel_booked", &f.booked),
        ("funnel_rescheduled", &f.rescheduled),
        ("funnel_completed", &f.completed),
        ("funnel_cancelled", &f.cancelled),
        ("funnel_no_show", &f.no_show),
    ];
    let rates = [
        ("book_rate", &m.book_rate),
        ("reschedule_rate", &m.reschedule_rate),
        ("cancellation_rate", &m.cancellation_rate),
        ("no_show_rate", &m.no_show_rate),
        ("outcome_coverage", &m.outcome_coverage),
    ];
    let seconds = [
        ("time_to_book_p50", &m.time_to_book_p50_seconds),
        ("time_to_book_p90", &m.time_to_book_p90_seconds),
    ];
    let tile = |key: &str| {
        fixture
            .tiles
            .get(key)
            .unwrap_or_else(|| panic!("the fixture has no tile {key}"))
    };
    for (key, count) in counts {
        check_count(tile(key), count, &format!("{key} at {now}"));
    }
    for (key, rate) in rates {
        check_rate(tile(key), rate, &format!("{key} at {now}"));
    }
    for (key, value) in seconds {
        check_seconds(tile(key), value, &format!("{key} at {now}"));
    }
    assert_eq!(
        fixture.tiles.len(),
        counts.len() + rates.len() + seconds.len(),
        "the fixture names exactly the dashboard's tiles"
    );
}

#[test]
fn the_browser_tests_dashboard_history_shows_what_the_reference_computes() {
    let fixture = fixture();
    // Early, midday and late in a UTC day: the browser test runs whenever it runs.
    for now in [
        "2026-11-24T00:20:00Z",
        "2026-11-24T12:00:00Z",
        "2026-11-24T23:50:00Z",
        "2027-03-01T06:30:00Z",
    ] {
        let now: Timestamp = now.parse().expect("a time");
        check_tiles(&fixture, &reference(&fixture, now), now);
    }
}

#[test]
fn the_tile_checks_notice_a_wrong_text() {
    let fixture = fixture();
    let now: Timestamp = "2026-11-24T12:00:00Z".parse().expect("a time");
    let metrics = reference(&fixture, now);
    let wrong = |value: &str, change: &str| TileText {
        value: value.to_owned(),
        change: change.to_owned(),
    };
    let book_rate = &metrics.book_rate;
    for tile in [
        wrong("70.2 %", "+10.0 pp vs 60.0 % before"),
        wrong("70.0 %", "+10.0 pp vs 60.1 % before"),
        wrong("70.0 %", "+11.0 pp vs 60.0 % before"),
        wrong("—", "— vs 60.0 % before"),
    ] {
        let caught = std::panic::catch_unwind(|| check_rate(&tile, book_rate, "book_rate"));
        assert!(caught.is_err(), "{} / {} passed", tile.value, tile.change);
    }
    let p50 = &metrics.time_to_book_p50_seconds;
    for tile in [
        wrong("120 min", "+30 min vs 1.5 h before"),
        wrong("2.0 h", "30 min vs 1.5 h before"),
    ] {
        let caught = std::panic::catch_unwind(|| check_seconds(&tile, p50, "p50"));
        assert!(caught.is_err(), "{} / {} passed", tile.value, tile.change);
    }
}
