//! Exactly once, never half-written: re-deliveries, racing deliveries, reschedule chains, and
//! a database that fails mid-way.

use app::ssr::{
    calcom::payloads::{self, BookingFacts},
    db::{Db, Tx},
};
use futures::future::join_all;
use reqwest::StatusCode;

use super::{at, booking, count, deliver, deliver_expecting, lead_booking, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend};

on_both_backends!(
    a_redelivery_answers_200_and_changes_nothing,
    a_redelivery_is_answered_without_a_write_transaction,
    sixteen_identical_deliveries_racing_apply_once,
    a_reschedule_chain_of_three_then_a_cancellation_follows_the_newest_uid,
    a_reschedule_chain_then_a_no_show_on_the_newest_uid,
    a_failure_inside_the_transaction_leaves_nothing_behind,
    different_events_for_one_lead_racing_all_apply,
);

async fn a_redelivery_answers_200_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidRedeliver", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    deliver_expecting(&app, &body, "applied").await;
    let before = lead_booking(&app.state.db, &lead).await;
    deliver_expecting(&app, &body, "duplicate").await;
    assert_eq!(lead_booking(&app.state.db, &lead).await, before);
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        1
    );
}

/// While another transaction holds the write lock (SQLite's one writer; PostgreSQL's event
/// log and leads locked against writes), a re-delivery of what was just applied is answered
/// `duplicate` at once, and a new delivery is not (it needs the writer).
async fn a_redelivery_is_answered_without_a_write_transaction(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidNoWrite", "2026-10-01T09:00:00Z");
    let created = payloads::booking_created(&facts, at("2026-09-20T10:00:00Z"));
    deliver_expecting(&app, &created, "applied").await;
    let ping = payloads::ping(at("2026-09-20T10:05:00Z"));
    deliver_expecting(&app, &ping, "applied").await;

    let mut tx = app.state.db.begin().await.expect("a write transaction");
    if let Tx::Postgres(tx) = &mut tx {
        sqlx::query("lock table leads, booking_events in exclusive mode")
            .execute(&mut **tx)
            .await
            .expect("lock");
    }
    let within = std::time::Duration::from_secs(2);
    for body in [&created, &ping] {
        let answer = signed_post(&app, body, within)
            .await
            .expect("answered while the writer is busy");
        assert_eq!(answer.status(), StatusCode::OK);
        let json: serde_json::Value = answer.json().await.expect("json");
        assert_eq!(json["result"], "duplicate", "{json}");
    }
    let cancelled = payloads::booking_cancelled(&facts, None, at("2026-09-21T10:00:00Z"));
    assert!(
        signed_post(&app, &cancelled, within).await.is_err(),
        "a new event waits for the writer"
    );
    drop(tx);
    // The timed-out attempt may still land once the writer is free; either way, once.
    let (status, json) = deliver(&app, &cancelled).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ["applied", "duplicate"].contains(&json["result"].as_str().unwrap_or_default()),
        "{json}"
    );
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "cancelled");
}

async fn signed_post(
    app: &crate::support::TestApp,
    body: &str,
    within: std::time::Duration,
) -> reqwest::Result<reqwest::Response> {
    let signature = app::ssr::calcom::signature::sign(super::WEBHOOK_SECRET, body.as_bytes());
    app.client
        .post(app.url("/api/webhooks/cal-com"))
        .header("content-type", "application/json")
        .header("x-cal-signature-256", signature)
        .body(body.to_owned())
        .timeout(within)
        .send()
        .await
}

async fn sixteen_identical_deliveries_racing_apply_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidRace1", "2026-10-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    let body = payloads::booking_rescheduled(
        &BookingFacts {
            uid: "uidRace2".into(),
            ..booking(&lead, "uidRace2", "2026-10-02T09:00:00Z")
        },
        &facts,
        at("2026-09-21T10:00:00Z"),
    );
    let answers = join_all((0..16).map(|_| deliver(&app, &body))).await;
    let mut results: Vec<String> = answers
        .iter()
        .map(|(status, json)| {
            assert_eq!(*status, StatusCode::OK);
            json["result"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    results.sort();
    assert_eq!(
        results.iter().filter(|r| *r == "applied").count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results.iter().filter(|r| *r == "duplicate").count(),
        15,
        "{results:?}"
    );
    assert_eq!(
        count(
            &app.state.db,
            "select count(*) from booking_events where trigger_event = 'BOOKING_RESCHEDULED'"
        )
        .await,
        1
    );
    let row = lead_booking(&app.state.db, &lead).await;
    assert_eq!(row.reschedule_count, 1, "one state change");
    assert_eq!(row.booking_uid.as_deref(), Some("uidRace2"));
}

async fn different_events_for_one_lead_racing_all_apply(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidBusy1", "2026-10-01T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    // Sixteen different events for the same lead at once; the newest is the cancellation.
    let mut bodies: Vec<String> = (0..15)
        .map(|i| payloads::booking_paid(&facts, at(&format!("2026-09-20T11:00:{i:02}Z"))))
        .collect();
    bodies.push(payloads::booking_cancelled(
        &facts,
        Some("Last word"),
        at("2026-09-20T12:00:00Z"),
    ));
    let answers = join_all(bodies.iter().map(|body| deliver(&app, body))).await;
    for (status, json) in &answers {
        assert_eq!(*status, StatusCode::OK);
        assert_eq!(json["result"], "applied", "{json}");
    }
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        17
    );
    let row = lead_booking(&app.state.db, &lead).await;
    assert_eq!(row.stage, "cancelled");
    assert_eq!(row.last_event.as_deref(), Some("BOOKING_CANCELLED"));
    assert_eq!(row.cancellation_reason.as_deref(), Some("Last word"));
}

/// Creates uid `{prefix}0`, then reschedules it `moves` times; answers the facts of each.
async fn reschedule_chain(
    app: &crate::support::TestApp,
    lead: &str,
    prefix: &str,
    moves: usize,
) -> Vec<BookingFacts> {
    let mut chain = vec![booking(lead, &format!("{prefix}0"), "2026-10-01T09:00:00Z")];
    deliver_expecting(
        app,
        &payloads::booking_created(&chain[0], at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    for i in 1..=moves {
        let next = booking(
            lead,
            &format!("{prefix}{i}"),
            &format!("2026-10-0{}T09:00:00Z", i + 1),
        );
        let body = payloads::booking_rescheduled(
            &next,
            &chain[i - 1],
            at(&format!("2026-09-2{i}T10:00:00Z")),
        );
        deliver_expecting(app, &body, "applied").await;
        chain.push(next);
    }
    chain
}

async fn a_reschedule_chain_of_three_then_a_cancellation_follows_the_newest_uid(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let chain = reschedule_chain(&app, &lead, "uidChainA", 3).await;
    let row = lead_booking(&app.state.db, &lead).await;
    assert_eq!(row.stage, "rescheduled");
    assert_eq!(row.reschedule_count, 3);
    assert_eq!(row.booking_uid.as_deref(), Some("uidChainA3"));
    assert_eq!(
        row.booking_start.map(|t| t.timestamp()),
        Some(at("2026-10-04T09:00:00Z"))
    );

    // The cancellation carries no metadata: only the newest uid, linked through the chain.
    let newest = BookingFacts {
        submission_id: None,
        ..chain[3].clone()
    };
    deliver_expecting(
        &app,
        &payloads::booking_cancelled(&newest, Some("Moving away"), at("2026-09-25T10:00:00Z")),
        "applied",
    )
    .await;
    let row = lead_booking(&app.state.db, &lead).await;
    assert_eq!(row.stage, "cancelled");
    assert_eq!(row.cancellation_reason.as_deref(), Some("Moving away"));
    assert_eq!(row.booking_uid.as_deref(), Some("uidChainA3"));
    assert_eq!(
        count(&app.state.db, "select count(*) from bookings").await,
        4
    );
}

async fn a_reschedule_chain_then_a_no_show_on_the_newest_uid(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let chain = reschedule_chain(&app, &lead, "uidChainB", 4).await;
    let newest = &chain[4];
    deliver_expecting(
        &app,
        &payloads::meeting_flat("MEETING_ENDED", newest),
        "applied",
    )
    .await;
    deliver_expecting(
        &app,
        &payloads::no_show_updated(newest, true, at("2026-10-05T10:00:00Z")),
        "applied",
    )
    .await;
    let row = lead_booking(&app.state.db, &lead).await;
    assert_eq!(row.stage, "no_show");
    assert_eq!(row.reschedule_count, 4);
    assert_eq!(row.booking_uid.as_deref(), Some("uidChainB4"));
    // A no-show for a booking the chain left behind changes nothing.
    deliver_expecting(
        &app,
        &payloads::no_show_updated(&chain[1], false, at("2026-10-05T11:00:00Z")),
        "applied",
    )
    .await;
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "no_show");
}

/// Makes every update of a lead fail, as a database failing mid-transaction would.
async fn break_lead_updates(db: &Db) {
    let mut tx = db.begin().await.expect("begin");
    match &mut tx {
        Tx::Postgres(tx) => {
            sqlx::query("create function refuse_update() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$")
                .execute(&mut **tx).await.expect("function");
            sqlx::query("create trigger refuse_update before update on leads for each row execute function refuse_update()")
                .execute(&mut **tx).await.expect("trigger");
        }
        Tx::Sqlite(tx) => {
            sqlx::query("create trigger refuse_update before update on leads begin select raise(abort, 'disk on fire'); end")
                .execute(&mut **tx).await.expect("trigger");
        }
    }
    tx.commit().await.expect("commit");
}

async fn a_failure_inside_the_transaction_leaves_nothing_behind(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    break_lead_updates(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidBroken1", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    let (status, json) = deliver(&app, &body).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{json}");
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        0
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from bookings").await,
        0
    );
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "new");
}

/// A database that cannot be reached takes nothing: the delivery waits in the spool (and is
/// replayed once the database answers; see `spool.rs`).
#[tokio::test]
async fn a_closed_database_keeps_nothing_and_the_delivery_waits_in_the_spool() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend).await;
        let lead = seed_lead(&app.state.db).await;
        let body = payloads::booking_created(
            &booking(&lead, "uidClosed1", "2026-10-01T09:00:00Z"),
            at("2026-09-20T10:00:00Z"),
        );
        app.state.db.close().await;
        let (status, json) = deliver(&app, &body).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{backend:?}");
        assert_eq!(json["result"], "spooled");
        assert_eq!(app.state.spool.waiting().await.expect("spool").0, 1);

        // Back again: a fresh connection sees no trace of the delivery.
        let reopened = app.db().connect().await;
        assert_eq!(
            count(&reopened, "select count(*) from booking_events").await,
            0
        );
        assert_eq!(lead_booking(&reopened, &lead).await.stage, "new");
    }
}
