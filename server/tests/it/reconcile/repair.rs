//! One pass repairs what dropped webhooks left wrong, a second changes nothing, and a booking
//! without a lead becomes a review item an owner can link.

use app::{
    domain::review::ItemKind,
    ssr::{reconcile::run_pass, store::review},
};
use serde_json::json;

use super::{app_and_standin, sources, stage_and_uid};
use crate::{
    on_both_backends,
    review::{act, queue},
    support::{owner::sign_in, Backend},
    webhooks::{seed_lead, seed_lead_with_id},
};

on_both_backends!(
    a_pass_repairs_dropped_webhooks_and_a_second_changes_nothing,
    a_booking_without_a_lead_is_raised_and_linked_through_the_queue,
    every_page_is_read_and_the_rate_limit_is_waited_out,
);

async fn a_pass_repairs_dropped_webhooks_and_a_second_changes_nothing(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let created = seed_lead(db).await;
    let rescheduled = seed_lead(db).await;
    let cancelled = seed_lead(db).await;
    let no_show = seed_lead(db).await;

    // The creation's webhook never arrives.
    standin
        .book(Some(&created), "2030-03-04T09:00:00Z", true)
        .await;
    // The creations arrive; the change after each does not.
    let first = standin
        .book(Some(&rescheduled), "2030-03-04T10:00:00Z", false)
        .await;
    let moved = standin
        .act(
            &first,
            "reschedule",
            json!({"start": "2030-03-05T10:00:00Z", "drop": true}),
        )
        .await;
    let moved_uid = moved["booking"]["uid"]
        .as_str()
        .expect("the new uid")
        .to_owned();
    let to_cancel = standin
        .book(Some(&cancelled), "2030-03-04T11:00:00Z", false)
        .await;
    standin
        .act(
            &to_cancel,
            "cancel",
            json!({"reason": "Plans changed", "drop": true}),
        )
        .await;
    let absent = standin
        .book(Some(&no_show), "2030-03-04T12:00:00Z", false)
        .await;
    standin.act(&absent, "no-show", json!({"drop": true})).await;

    assert_eq!(stage_and_uid(db, &created).await.0, "new");
    assert_eq!(stage_and_uid(db, &rescheduled).await.0, "booked");
    assert_eq!(stage_and_uid(db, &cancelled).await.0, "booked");
    assert_eq!(stage_and_uid(db, &no_show).await.0, "booked");

    let report = run_pass(&app.state, None).await.expect("a pass");
    assert_eq!(report.applied.len(), 4, "{report:?}");
    assert_eq!((report.unlinked, report.mismatches), (0, 0), "{report:?}");

    assert_eq!(stage_and_uid(db, &created).await.0, "booked");
    assert_eq!(
        stage_and_uid(db, &rescheduled).await,
        ("rescheduled".to_owned(), Some(moved_uid.clone()))
    );
    assert_eq!(stage_and_uid(db, &cancelled).await.0, "cancelled");
    assert_eq!(stage_and_uid(db, &no_show).await.0, "no_show");
    for (lead, trigger) in [
        (&created, "BOOKING_CREATED"),
        (&rescheduled, "BOOKING_RESCHEDULED"),
        (&cancelled, "BOOKING_CANCELLED"),
        (&no_show, "BOOKING_NO_SHOW_UPDATED"),
    ] {
        let logged = sources(db, lead).await;
        assert_eq!(
            logged.last(),
            Some(&("reconcile".to_owned(), trigger.to_owned())),
            "{logged:?}"
        );
    }
    // The timeline says where the repair came from.
    let cookie = sign_in(&app).await;
    let detail: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/leads/{cancelled}")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let timeline = detail["timeline"].as_array().expect("a timeline");
    assert!(
        timeline.iter().any(|e| e["by"] == "reconcile"
            && e["summary"]
                .as_str()
                .is_some_and(|s| s.contains("reconciliation"))),
        "{timeline:?}"
    );

    let again = run_pass(&app.state, None).await.expect("a second pass");
    assert!(again.applied.is_empty(), "{again:?}");
    assert_eq!((again.unlinked, again.mismatches), (0, 0));
    assert_eq!(stage_and_uid(db, &no_show).await.0, "no_show");

    // A later webhook still applies: the un-mark Cal.com sends is newer than the repair.
    standin.act(&absent, "no-show-undo", json!({})).await;
    assert_eq!(stage_and_uid(db, &no_show).await.0, "booked");
    let third = run_pass(&app.state, None).await.expect("a third pass");
    assert!(third.applied.is_empty(), "{third:?}");
}

async fn a_booking_without_a_lead_is_raised_and_linked_through_the_queue(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let lead = seed_lead(db).await;
    // Cal.com lost the metadata and the webhooks never came.
    let uid = standin.book(None, "2030-03-04T09:00:00Z", true).await;

    let report = run_pass(&app.state, None).await.expect("a pass");
    assert_eq!(report.unlinked, 1, "{report:?}");
    let id = ItemKind::UnlinkedBooking.item_id(&uid);
    let item = review::get(db, &id).await.expect("read").expect("an item");
    assert!(item.resolved_at.is_none());
    assert!(
        item.reason.contains("ana.kovac@example.com") && item.reason.contains(&lead),
        "the attendee's email offers the probable lead: {}",
        item.reason
    );
    assert_eq!(
        run_pass(&app.state, None).await.expect("again").unlinked,
        0,
        "raised once"
    );

    let cookie = sign_in(&app).await;
    let listed = queue(&app, &cookie, Some("unlinked_booking")).await;
    let shown = &listed["items"][0];
    assert_eq!(shown["id"], id.as_str(), "{listed}");
    assert_eq!(shown["delivery"]["attendee_email"], "ana.kovac@example.com");
    assert_eq!(shown["actions"], json!(["link", "discard"]));

    let (status, answer) = act(
        &app,
        &cookie,
        &id,
        &[("action", "link"), ("submission_id", lead.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        stage_and_uid(db, &lead).await,
        ("booked".to_owned(), Some(uid.clone()))
    );
    assert_eq!(
        sources(db, &lead).await,
        [("reconcile".to_owned(), "BOOKING_CREATED".to_owned())]
    );
    // The booking is the lead's now: the next pass finds nothing to do.
    let after = run_pass(&app.state, None)
        .await
        .expect("a pass after the link");
    assert!(after.applied.is_empty() && after.unlinked == 0, "{after:?}");
    let (again, _) = act(
        &app,
        &cookie,
        &id,
        &[("action", "link"), ("submission_id", lead.as_str())],
    )
    .await;
    assert_eq!(again, 409);
}

async fn every_page_is_read_and_the_rate_limit_is_waited_out(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let prefix = uuid::Uuid::new_v4().to_string();
    let mut leads = Vec::new();
    for i in 1..=260 {
        leads.push(seed_lead_with_id(db, &format!("{prefix}-{i}")).await);
    }
    // 260 bookings, one per lead, whose webhooks never arrived.
    standin
        .post(
            "/standin/api/seed",
            json!({"count": 260, "metadata_prefix": format!("{prefix}-")}),
        )
        .await;
    standin.settings(json!({"api_throttle_next": 2})).await;

    let report = run_pass(&app.state, None).await.expect("a pass");
    assert_eq!(report.bookings, 260, "{report:?}");
    assert_eq!(report.applied.len(), 260);
    assert_eq!(report.rate_limited, 2);
    // By update and by creation: a page of 250 and a short one each; by slot: one short page;
    // and the two answered 429.
    assert_eq!(report.calls, 2 + 2 + 1 + 2, "{report:?}");
    for lead in [&leads[0], &leads[259]] {
        assert_eq!(stage_and_uid(db, lead).await.0, "booked");
    }
}
