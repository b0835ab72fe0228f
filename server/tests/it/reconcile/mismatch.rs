//! A difference no event can settle safely (here: the log has the booking cancelled, Cal.com
//! has it accepted) is left to an owner: raised once, with both states, and "take Cal.com's
//! state" applies Cal.com's, after which a pass finds nothing more.

use app::{
    domain::review::ItemKind,
    ssr::{calcom::payloads, reconcile::run_pass},
};

use super::{app_and_standin, sources, stage_and_uid};
use crate::{
    on_both_backends,
    review::{act, audit, queue},
    support::{owner::sign_in, Backend},
    webhooks::{booking, deliver_expecting, seed_lead},
};

on_both_backends!(
    a_difference_no_event_can_settle_is_left_to_an_owner,
    a_difference_that_settles_by_itself_is_resolved_by_the_next_pass,
);

async fn a_difference_no_event_can_settle_is_left_to_an_owner(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let lead = seed_lead(db).await;
    let start = "2030-03-04T09:00:00Z";
    let uid = standin.book(Some(&lead), start, false).await;
    assert_eq!(stage_and_uid(db, &lead).await.0, "booked");
    // A cancellation this app heard of, that Cal.com does not have.
    let cancel = payloads::booking_cancelled(
        &booking(&lead, &uid, start),
        Some("Sent by mistake"),
        jiff::Timestamp::now(),
    );
    deliver_expecting(&app, &cancel, "applied").await;
    assert_eq!(stage_and_uid(db, &lead).await.0, "cancelled");

    let report = run_pass(&app.state, None).await.expect("a pass");
    assert_eq!(
        (report.applied.len(), report.mismatches),
        (0, 1),
        "{report:?}"
    );
    assert_eq!(
        stage_and_uid(db, &lead).await.0,
        "cancelled",
        "nothing applied"
    );
    let again = run_pass(&app.state, None).await.expect("a second pass");
    assert_eq!(again.mismatches, 0, "raised once");

    let cookie = sign_in(&app).await;
    let listed = queue(&app, &cookie, Some("calcom_mismatch")).await;
    let item = &listed["items"][0];
    let id = ItemKind::CalcomMismatch.item_id(&format!("{uid}:accepted"));
    assert_eq!(item["id"], id.as_str(), "{listed}");
    let reason = item["reason"].as_str().expect("a reason");
    assert!(
        reason.contains("accepted") && reason.contains("cancelled"),
        "both states: {reason}"
    );
    assert_eq!(item["lead"]["stage"], "cancelled");
    assert_eq!(
        item["actions"],
        serde_json::json!(["take_calcom", "dismiss"])
    );

    let (status, answer) = act(&app, &cookie, &id, &[("action", "take_calcom")]).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(stage_and_uid(db, &lead).await.0, "booked");
    assert_eq!(
        sources(db, &lead).await.last(),
        Some(&("reconcile".to_owned(), "BOOKING_CREATED".to_owned()))
    );
    let trail = audit(&app, &cookie).await;
    assert_eq!(trail[0]["action"], "take_calcom", "{trail:?}");
    assert_eq!(trail[0]["stage_before"], "cancelled");
    assert_eq!(trail[0]["stage_after"], "booked");

    let after = run_pass(&app.state, None).await.expect("a pass after");
    assert!(
        after.applied.is_empty() && after.mismatches == 0,
        "{after:?}"
    );
    let (status, _) = act(&app, &cookie, &id, &[("action", "take_calcom")]).await;
    assert_eq!(status, 409);
}

async fn a_difference_that_settles_by_itself_is_resolved_by_the_next_pass(backend: Backend) {
    let (app, standin) = app_and_standin(backend, &[]).await;
    let db = &app.state.db;
    let lead = seed_lead(db).await;
    let start = "2030-03-04T09:00:00Z";
    let uid = standin.book(Some(&lead), start, false).await;
    let facts = booking(&lead, &uid, start);
    let now = jiff::Timestamp::now();
    deliver_expecting(
        &app,
        &payloads::booking_cancelled(&facts, None, now),
        "applied",
    )
    .await;
    assert_eq!(
        run_pass(&app.state, None).await.expect("a pass").mismatches,
        1
    );
    let id = ItemKind::CalcomMismatch.item_id(&format!("{uid}:accepted"));
    // Cal.com's own word arrives after all: the booking is accepted again here too.
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, now + jiff::SignedDuration::from_secs(1)),
        "applied",
    )
    .await;
    assert_eq!(stage_and_uid(db, &lead).await.0, "booked");
    run_pass(&app.state, None).await.expect("a pass");
    let item = app::ssr::store::review::get(db, &id)
        .await
        .expect("read")
        .expect("the item");
    assert_eq!(item.resolution.as_deref(), Some("agrees_with_calcom"));
    assert_eq!(item.resolved_by.as_deref(), Some("automation"));
}
