//! Arbitrary bytes at the two doors strangers reach, through the real router on both
//! backends: every answer is 2xx or 4xx, never 5xx; an unverified body changes nothing; no
//! form without a genuine ticket stores a lead.

use app::ssr::calcom::signature::sign;
use proptest::{prelude::*, test_runner::TestRunner};
use reqwest::header;

use crate::{
    support::{app::WEBHOOK_SECRET, spawn_app, Backend, TestApp},
    webhooks::count,
};

/// Row counts a stranger's request must not change.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "leads",
        "booking_events",
        "webhook_failures",
        "review_items",
    ] {
        counts.push(count(&app.state.db, &format!("select count(*) from {table}")).await);
    }
    counts
}

fn run_on(backend: Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime.block_on(spawn_app(backend));
    let before = runtime.block_on(footprint(&app));
    let mut runner = TestRunner::new(ProptestConfig::with_cases(96));
    let bodies = (
        prop::collection::vec(any::<u8>(), 0..4096),
        prop_oneof![
            Just(None),
            Just(Some("00".repeat(32))),
            "[ -~]{0,80}".prop_map(Some)
        ],
    );
    runner
        .run(&bodies, |(body, signature)| {
            runtime.block_on(async {
                let url = app.url("/api/webhooks/cal-com");
                let mut unsigned = app.client.post(&url).body(body.clone());
                if let Some(signature) = &signature {
                    unsigned = unsigned.header("x-cal-signature-256", signature);
                }
                let status = unsigned.send().await.expect("answered").status();
                prop_assert_eq!(status.as_u16(), 401, "an unverified body is refused");

                let form = app
                    .client
                    .post(app.url("/api/intake"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body.clone());
                for accept in ["text/html", "application/json"] {
                    let status = form
                        .try_clone()
                        .expect("a plain body")
                        .header(header::ACCEPT, accept)
                        .send()
                        .await
                        .expect("answered")
                        .status();
                    prop_assert!(status.as_u16() < 500, "intake ({accept}) answered {status}");
                }
                prop_assert_eq!(footprint(&app).await, before.clone());
                Ok(())
            })
        })
        .expect("strangers' bytes");

    // Signed, any bytes are settled or refused as malformed, never a 5xx.
    let mut runner = TestRunner::new(ProptestConfig::with_cases(96));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..4096), |body| {
            runtime.block_on(async {
                let status = app
                    .client
                    .post(app.url("/api/webhooks/cal-com"))
                    .header("x-cal-signature-256", sign(WEBHOOK_SECRET, &body))
                    .body(body)
                    .send()
                    .await
                    .expect("answered")
                    .status();
                prop_assert!(status.as_u16() < 500, "signed junk answered {status}");
                Ok(())
            })
        })
        .expect("signed junk");
    drop(app);
}

#[test]
fn any_bytes_from_strangers_get_a_clear_answer_and_change_nothing_sqlite() {
    run_on(Backend::Sqlite);
}

#[test]
fn any_bytes_from_strangers_get_a_clear_answer_and_change_nothing_postgres() {
    run_on(Backend::Postgres);
}
