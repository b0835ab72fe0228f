//! Signed bodies with values no sane sender writes: a NUL (which PostgreSQL `text` cannot
//! hold) or 100,000 characters in each string field in turn. Each is stored and applied, or
//! refused with a 4xx; never a 5xx, on both backends.

use app::ssr::calcom::payloads;
use reqwest::StatusCode;

use super::{at, booking, deliver, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend};

on_both_backends!(a_nul_or_a_huge_value_in_any_field_never_gets_a_5xx);

/// The paths of every string in `value`.
fn string_paths(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::String(_) => out.push(path.clone()),
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                path.push(key.clone());
                string_paths(child, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(i.to_string());
                string_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn set(value: &mut serde_json::Value, path: &[String], to: &str) {
    let mut at = value;
    for key in path {
        at = match at {
            serde_json::Value::Object(map) => map.get_mut(key).expect("a key"),
            serde_json::Value::Array(items) => items
                .get_mut(key.parse::<usize>().expect("an index"))
                .expect("an item"),
            _ => unreachable!("paths lead through objects and arrays"),
        };
    }
    *at = serde_json::Value::String(to.to_owned());
}

async fn a_nul_or_a_huge_value_in_any_field_never_gets_a_5xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let huge = "x".repeat(100_000);
    let mut paths = Vec::new();
    let template: serde_json::Value = serde_json::from_str(&payloads::booking_created(
        &booking(
            "00000000-0000-4000-8000-000000000000",
            "bk_tpl",
            "2026-12-10T09:00:00Z",
        ),
        at("2026-11-30T10:00:00Z"),
    ))
    .expect("json");
    string_paths(&template, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 20, "{} string fields", paths.len());

    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for (n, path) in paths.iter().enumerate() {
        for (kind, value) in [("nul", "before\u{0}after"), ("huge", huge.as_str())] {
            let lead = seed_lead(&app.state.db).await;
            let facts = booking(
                &lead,
                &format!("bk_hostile_{n}_{kind}"),
                "2026-12-10T09:00:00Z",
            );
            let mut body: serde_json::Value = serde_json::from_str(&payloads::booking_created(
                &facts,
                at("2026-11-30T10:00:00Z"),
            ))
            .expect("json");
            set(&mut body, path, value);
            let (status, json) = deliver(&app, &body.to_string()).await;
            assert!(
                status.is_success() || status.is_client_error(),
                "{kind} in {}: {status} {json}",
                path.join(".")
            );
            *answers.entry(status.as_u16()).or_default() += 1;
        }
    }
    eprintln!(
        "hostile fields ({backend:?}): {} fields, answers {answers:?}",
        paths.len()
    );
    // The app still answers normally afterwards.
    let lead = seed_lead(&app.state.db).await;
    let (status, _) = deliver(
        &app,
        &payloads::booking_created(
            &booking(&lead, "bk_after_hostile", "2026-12-10T09:00:00Z"),
            at("2026-11-30T10:00:00Z"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
