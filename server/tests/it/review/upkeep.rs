//! Sync gaps (a lead's stored booking disagrees with its own events) and leads who never
//! booked: raised by the queue's incremental checks, fixed, dismissed or snoozed.

use app::ssr::{
    calcom::payloads,
    db::{on_pool, DbTime},
};
use reqwest::StatusCode;

use super::{act, in_hours, items_at, queue, refresh_at};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
    webhooks::{at, booking, deliver_expecting, lead_booking, seed_lead},
};

on_both_backends!(
    a_lead_that_drifted_from_its_events_is_reprojected,
    a_lead_who_never_booked_is_followed_up_snoozed_or_dismissed,
    thousands_of_follow_ups_are_raised_in_batches_and_paged,
);

async fn a_lead_that_drifted_from_its_events_is_reprojected(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let lead = seed_lead(&app.state.db).await;
    let facts = booking(&lead, "uidDrift1", "2026-12-05T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    // Something other than its events wrote the lead.
    on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update leads set stage = 'cancelled', booking_status = 'cancelled' where submission_id = $1",
    )
    .bind(&lead)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("a drifted lead");

    let gaps = items_at(&app, &cookie, "sync_gap", jiff::Timestamp::now()).await;
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("stage")),
        "{}",
        gaps[0]
    );
    assert_eq!(gaps[0]["submission_id"], lead);
    let id = gaps[0]["id"].as_str().expect("an id").to_owned();
    let (status, fixed) = act(&app, &cookie, &id, &[("action", "reproject")]).await;
    assert_eq!(status, StatusCode::OK, "{fixed}");
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
    assert!(items_at(&app, &cookie, "sync_gap", jiff::Timestamp::now())
        .await
        .is_empty());
}

async fn a_lead_who_never_booked_is_followed_up_snoozed_or_dismissed(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let invited_now = DbTime::now();
    let in_three_days = in_hours(72);
    let mut leads = Vec::new();
    for _ in 0..2 {
        let lead = seed_lead(&app.state.db).await;
        on_pool!(app.state.db.writes(), pool => sqlx::query(
            "update leads set invited_at = $2, stage = 'invited' where submission_id = $1",
        )
        .bind(&lead)
        .bind(invited_now)
        .execute(pool)
        .await
        .map(|_| ()))
        .expect("invited three days ago");
        leads.push(lead);
    }
    assert!(items_at(&app, &cookie, "not_booked", in_hours(24))
        .await
        .is_empty());
    let follow_ups = items_at(&app, &cookie, "not_booked", in_three_days).await;
    assert_eq!(follow_ups.len(), 2, "{follow_ups:?}");
    assert_eq!(
        follow_ups[0]["actions"],
        serde_json::json!(["dismiss", "snooze"])
    );
    let (snoozed, dismissed) = (
        format!("not_booked:{}", leads[0]),
        format!("not_booked:{}", leads[1]),
    );

    let (status, item) = act(
        &app,
        &cookie,
        &snoozed,
        &[("action", "snooze"), ("days", "7")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{item}");
    assert!(item["snoozed_until"].is_string());
    let (status, _) = act(
        &app,
        &cookie,
        &dismissed,
        &[("action", "dismiss"), ("reason", "called them")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = act(
        &app,
        &cookie,
        &dismissed,
        &[("action", "dismiss"), ("reason", "again")],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    refresh_at(&app, in_three_days).await;
    let page = queue(&app, &cookie, None).await;
    assert!(
        page["items"].as_array().is_some_and(|i| i.is_empty()),
        "{page}"
    );
    let open: i64 = page["open"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["count"].as_i64())
        .sum();
    assert_eq!(open, 0, "a snoozed item is not counted until it is due");

    // Booking clears a follow-up by itself.
    let lead = seed_lead(&app.state.db).await;
    on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update leads set invited_at = $2, stage = 'invited' where submission_id = $1",
    )
    .bind(&lead)
    .bind(DbTime::now())
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("invited");
    assert_eq!(
        items_at(&app, &cookie, "not_booked", in_three_days)
            .await
            .len(),
        1
    );
    let facts = booking(&lead, "uidLate1", "2026-12-05T09:00:00Z");
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    assert!(items_at(&app, &cookie, "not_booked", in_three_days)
        .await
        .is_empty());
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
}

async fn thousands_of_follow_ups_are_raised_in_batches_and_paged(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let total = 4_500;
    let start = jiff::Timestamp::now();
    let mut tx = app.state.db.begin().await.expect("a transaction");
    for i in 0..total {
        // Pairs share an invitation time, so batches also end inside a tie.
        let invited = DbTime::new(
            start
                .checked_add(jiff::SignedDuration::from_secs(i / 2))
                .expect("a time"),
        );
        app::ssr::db::in_tx!(&mut tx, conn => sqlx::query(
            "insert into leads (submission_id, name, email, message, consented_at, source, stage, \
             created_at, invited_at) values ($1, 'A Lead', 'lead@example.com', 'Generated.', $2, \
             'direct', 'invited', $2, $2)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(invited)
        .execute(conn)
        .await
        .map(|_| ()))
        .expect("a lead");
    }
    tx.commit().await.expect("commit");
    refresh_at(&app, in_hours(24 * 30)).await;
    let page = queue(&app, &cookie, None).await;
    let open: i64 = page["open"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|k| k["kind"] == "not_booked")
        .filter_map(|k| k["count"].as_i64())
        .sum();
    assert_eq!(open, total);

    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut last_created = String::from("~");
    loop {
        let mut request = app
            .client
            .get(app.url("/api/review"))
            .query(&[("kind", "not_booked"), ("limit", "200")])
            .header(reqwest::header::COOKIE, &cookie);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor.as_str())]);
        }
        let page: serde_json::Value = request
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().into_iter().flatten() {
            assert!(
                seen.insert(item["id"].as_str().unwrap_or_default().to_owned()),
                "{item}"
            );
            let created = item["created_at"].as_str().unwrap_or_default().to_owned();
            assert!(created <= last_created, "newest first");
            last_created = created;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        total as usize,
        "every item, once, across the pages"
    );
}
