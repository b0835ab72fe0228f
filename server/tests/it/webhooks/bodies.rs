//! Every verified delivery's bytes are kept, exactly, beside its event: applied (first event
//! and later ones), held, pings. They are pruned after their retention (the events stay),
//! and `reprocess` parses them again, rewriting what changed, idempotently.

use app::ssr::{
    calcom::payloads,
    db::{on_pool, DbTime},
    store::events::bodies,
    webhooks::reprocess,
};

use super::{at, booking, count, deliver_expecting, lead_booking, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend, TestApp};

on_both_backends!(
    every_verified_delivery_keeps_its_bytes,
    bodies_past_their_retention_are_pruned_and_events_stay,
    reprocessing_repairs_an_old_parse_and_then_changes_nothing,
);

async fn stored_body(app: &TestApp, uid: Option<&str>, trigger: &str) -> Vec<u8> {
    on_pool!(app.state.db.reads(), pool => sqlx::query_scalar::<_, Vec<u8>>(
        "select b.body from booking_event_bodies b join booking_events e on e.id = b.event_id \
         where e.trigger_event = $1 and (e.booking_uid = $2 or $2 is null)",
    )
    .bind(trigger)
    .bind(uid)
    .fetch_one(pool)
    .await)
    .expect("a kept body")
}

async fn every_verified_delivery_keeps_its_bytes(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidKept", "2026-10-01T09:00:00Z");
    // Odd spacing and escapes: kept as sent, not as re-encoded.
    let created = payloads::booking_created(&facts, at("2026-09-20T10:00:00Z"))
        .replacen('{', "{ \n", 1)
        .replace("Ana Kova\u{10d}", "Ana Kova\\u010d");
    deliver_expecting(&app, &created, "applied").await;
    let cancelled = payloads::booking_cancelled(&facts, None, at("2026-09-21T10:00:00Z"));
    deliver_expecting(&app, &cancelled, "applied").await;
    let mut unknown = booking(&lead, "uidHeldKept", "2026-10-02T09:00:00Z");
    unknown.submission_id = None;
    let held = payloads::booking_created(&unknown, at("2026-09-22T10:00:00Z"));
    deliver_expecting(&app, &held, "queued").await;
    let ping = payloads::ping(at("2026-09-23T10:00:00Z"));
    deliver_expecting(&app, &ping, "applied").await;

    assert_eq!(
        stored_body(&app, Some("uidKept"), "BOOKING_CREATED").await,
        created.as_bytes()
    );
    assert_eq!(
        stored_body(&app, Some("uidKept"), "BOOKING_CANCELLED").await,
        cancelled.as_bytes()
    );
    assert_eq!(
        stored_body(&app, Some("uidHeldKept"), "BOOKING_CREATED").await,
        held.as_bytes()
    );
    assert_eq!(stored_body(&app, None, "PING").await, ping.as_bytes());
    // A re-delivery keeps nothing more.
    deliver_expecting(&app, &created, "duplicate").await;
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_event_bodies").await,
        4
    );
}

async fn bodies_past_their_retention_are_pruned_and_events_stay(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidPruned", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    deliver_expecting(&app, &body, "applied").await;
    let pruned = bodies::prune(&app.state.db, DbTime::new(at("2020-01-01T00:00:00Z")))
        .await
        .expect("pruned");
    assert_eq!(pruned, 0, "nothing is older than 2020");
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let pruned = bodies::prune(&app.state.db, DbTime::new(later))
        .await
        .expect("pruned");
    assert_eq!(pruned, 1);
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_event_bodies").await,
        0
    );
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        1
    );
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
}

async fn reprocessing_repairs_an_old_parse_and_then_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidReparse", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    deliver_expecting(&app, &body, "applied").await;
    let right = lead_booking(&app.state.db, &lead).await;

    // As an older parser might have read it: the attendee's zone lost, and the lead
    // projected from that.
    on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update booking_events set event = replace(event, 'Europe/Zagreb', 'Etc/Unknown')",
    )
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("an old parse");
    on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update leads set attendee_time_zone = 'Etc/Unknown' where submission_id = $1",
    )
    .bind(&lead)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("its projection");

    let since = DbTime::new(at("2026-01-01T00:00:00Z"));
    let first = reprocess(&app.state, since).await.expect("reprocessed");
    assert_eq!((first.parsed, first.rewritten, first.leads), (1, 1, 1));
    assert_eq!(
        lead_booking(&app.state.db, &lead).await.attendee_time_zone,
        right.attendee_time_zone
    );
    assert_eq!(
        lead_booking(&app.state.db, &lead)
            .await
            .attendee_time_zone
            .as_deref(),
        Some("Europe/Zagreb")
    );

    let second = reprocess(&app.state, since).await.expect("reprocessed");
    assert_eq!((second.parsed, second.rewritten, second.leads), (1, 0, 0));
    let future = reprocess(
        &app.state,
        DbTime::new(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)),
    )
    .await
    .expect("reprocessed");
    assert_eq!(future.parsed, 0, "--since leaves older bodies alone");
}
