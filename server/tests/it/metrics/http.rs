//! `GET /api/metrics` against the pure reference: on a random dataset, every number the API
//! answers (each count, rate and change, the time-to-book percentiles, the funnel, the source
//! breakdown and the data-trust verdict) is the reference's, for several windows and sources,
//! with the business in Berlin (days of 23 and 25 hours in the data's months).

use app::domain::metrics::{
    assess_feed, compare, compute, source_counts, FeedHealth, Ratio, Window,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::header;
use serde_json::{json, Value};

use super::dataset::{load, random_dataset, random_window, SOURCES};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
};

on_both_backends!(every_number_the_metrics_api_answers_is_the_references);

/// `a` and `b` are the same JSON; numbers equal, but for durations within 10 ms (SQLite
/// computes time-to-book from day fractions, and a change is the difference of two).
fn assert_json_close(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            let tolerance = if path.contains("time_to_book") {
                1e-2
            } else {
                1e-12
            };
            assert!((x - y).abs() <= tolerance, "{path}: {x} vs {y}");
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = |o: &serde_json::Map<String, Value>| o.keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(x), keys(y), "{path}: fields");
            for (key, value) in x {
                assert_json_close(value, &y[key], &format!("{path}.{key}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: length");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_json_close(x, y, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

async fn every_number_the_metrics_api_answers_is_the_references(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("BUSINESS_TIME_ZONE", "Europe/Berlin")]).await;
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").expect("a zone");
    let mut rng = StdRng::seed_from_u64(7);
    let data = random_dataset(&mut rng, 150);
    load(&app.state.db, &data, &mut rng).await;
    let trust = assess_feed(
        &FeedHealth::of(&data.item_facts(), &data.received, &data.leads),
        jiff::Timestamp::now(),
        48,
    );

    let mut windows: Vec<Window> = (0..6).map(|_| random_window(&mut rng)).collect();
    windows.push(
        Window::new(
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2026, 6, 30),
        )
        .expect("a window"),
    );
    for window in windows {
        for source in [None, Some(SOURCES[rng.random_range(0..SOURCES.len())])] {
            let mut query = vec![
                ("from", window.from.to_string()),
                ("to", window.to.to_string()),
            ];
            if let Some(source) = source {
                query.push(("source", source.to_owned()));
            }
            let response = app
                .client
                .get(app.url("/api/metrics"))
                .query(&query)
                .header(header::COOKIE, &cookie)
                .send()
                .await
                .expect("send");
            assert!(response.status().is_success(), "{}", response.status());
            let body: Value = response.json().await.expect("json");

            let reference = compare(
                &compute(&data.leads, &window.period(&berlin), source),
                &compute(&data.leads, &window.prior().period(&berlin), source),
            );
            let context = format!("{window:?}, source {source:?}");
            assert_json_close(
                &body["metrics"],
                &serde_json::to_value(reference).expect("json"),
                &context,
            );
            let sources: Vec<Value> = source_counts(&data.leads, &window.period(&berlin))
                .into_iter()
                .map(|row| {
                    let rate = |numerator, denominator| {
                        Ratio {
                            numerator,
                            denominator,
                        }
                        .value()
                    };
                    json!({
                        "source": row.source,
                        "leads": row.leads,
                        "booked": row.booked,
                        "book_rate": rate(row.booked, row.leads),
                        "no_show_rate": rate(row.no_show, row.with_outcome),
                    })
                })
                .collect();
            assert_json_close(&body["sources"], &Value::Array(sources), &context);
            assert_eq!(body["window"], json!(window), "{context}");
            assert_eq!(body["prior"], json!(window.prior()), "{context}");
            assert_eq!(
                body["data_trust"]["needs_manual_confirm"],
                trust.needs_manual_confirm
            );
            assert_eq!(body["data_trust"]["reasons"], json!(trust.reasons));
        }
    }
    // The reference is not trivially empty: the last window holds most of the data.
    let all = compute(
        &data.leads,
        &Window::new(
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2026, 6, 30),
        )
        .expect("a window")
        .period(&berlin),
        None,
    );
    assert!(all.leads > 100 && all.time_to_book_p90_seconds.is_some());
    assert!(all.no_show_rate.value().is_some() && all.outcome_coverage.value().is_some());
}
