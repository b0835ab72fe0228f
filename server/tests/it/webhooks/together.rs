//! Leads' first events arriving at once are committed together (on PostgreSQL, one
//! statement for all that wait): each delivery still gets the answer it would have had
//! alone, an identical body racing itself is applied once, and a first event racing a later
//! event for its lead (held for it) releases it, so both apply in Cal.com's time order.

use app::{
    domain::booking::{project, Stage},
    ssr::{
        calcom::{
            parse::{parse_delivery, Delivery},
            payloads,
        },
        db::{on_pool, Db, DbTime},
        store::events::{commit_first_events, Commit, EventSource, FirstEvent},
        webhooks::{first_events::FirstEventWriter, settle_held_events},
    },
};
use futures::future::join_all;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use super::{at, booking, count, deliver, lead_booking, seed_lead};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend, TestApp, TestDb};

on_both_backends!(
    the_writer_lands_only_the_first_events_a_lone_write_would,
    first_deliveries_for_many_leads_at_once_each_apply_once,
    a_first_event_racing_a_later_one_for_its_lead_applies_both_in_time_order,
);

async fn results(app: &TestApp, bodies: &[String]) -> Vec<String> {
    join_all(bodies.iter().map(|body| deliver(app, body)))
        .await
        .into_iter()
        .map(|(status, json)| {
            assert_eq!(status, StatusCode::OK, "{json}");
            json["result"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

async fn first_deliveries_for_many_leads_at_once_each_apply_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut leads = Vec::new();
    let mut bodies = Vec::new();
    for n in 0..24 {
        let lead = seed_lead(&app.state.db).await;
        let facts = booking(&lead, &format!("uidMany{n}"), "2026-10-01T09:00:00Z");
        let body = payloads::booking_created(&facts, at("2026-09-20T10:00:00Z"));
        // Every body twice: the copy races its original, in the same batch or the next.
        bodies.push(body.clone());
        bodies.push(body);
        leads.push(lead);
    }

    let answers = results(&app, &bodies).await;

    for pair in answers.chunks(2) {
        let mut pair = pair.to_vec();
        pair.sort();
        assert_eq!(pair, ["applied", "duplicate"], "{answers:?}");
    }
    let db = &app.state.db;
    for (n, lead) in leads.iter().enumerate() {
        let row = lead_booking(db, lead).await;
        assert_eq!(row.stage, "booked", "lead {n}");
        assert_eq!(row.booking_uid, Some(format!("uidMany{n}")), "lead {n}");
        assert_eq!(
            count(
                db,
                &format!(
                    "select count(*) from bookings where booking_uid = 'uidMany{n}' \
                     and submission_id = '{lead}'"
                ),
            )
            .await,
            1,
            "lead {n}'s booking uid is linked to it"
        );
    }
    assert_eq!(count(db, "select count(*) from booking_events").await, 24);
    assert_eq!(
        count(db, "select count(*) from booking_event_bodies").await,
        24
    );
    assert_eq!(
        count(
            db,
            "select cast(coalesce(sum(booked), 0) as bigint) from cohort_tallies"
        )
        .await,
        24,
        "the dashboard counts each booking once"
    );
}

async fn a_first_event_racing_a_later_one_for_its_lead_applies_both_in_time_order(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let mut leads = Vec::new();
    let mut bodies = Vec::new();
    for n in 0..8 {
        let lead = seed_lead(&app.state.db).await;
        let first = booking(&lead, &format!("uidRacing{n}A"), "2026-10-01T09:00:00Z");
        let moved = booking(&lead, &format!("uidRacing{n}B"), "2026-10-02T09:00:00Z");
        // The booking names the lead and is its first event; the reschedule, arriving
        // first, is held until the booking it moves is known, and released by it (or, when
        // its hold raced the link, by the sweep for such holds).
        bodies.push(payloads::booking_created(
            &first,
            at("2026-09-20T10:00:00Z"),
        ));
        bodies.push(payloads::booking_rescheduled(
            &moved,
            &first,
            at("2026-09-21T10:00:00Z"),
        ));
        leads.push(lead);
    }

    let answers = results(&app, &bodies).await;

    for pair in answers.chunks(2) {
        assert_eq!(pair[0], "applied", "{answers:?}");
        assert!(
            ["applied", "queued"].contains(&pair[1].as_str()),
            "{answers:?}"
        );
    }
    settle_held_events(&app.state).await.expect("the sweep");
    let db = &app.state.db;
    for (n, lead) in leads.iter().enumerate() {
        let row = lead_booking(db, lead).await;
        assert_eq!(row.stage, "rescheduled", "lead {n}");
        assert_eq!(row.booking_uid, Some(format!("uidRacing{n}B")), "lead {n}");
        assert_eq!(row.reschedule_count, 1, "lead {n}");
        assert!(row.first_booked_at.is_some(), "lead {n}");
        assert_eq!(
            count(
                db,
                &format!("select count(*) from booking_events where submission_id = '{lead}'"),
            )
            .await,
            2
        );
    }
}

/// A delivery's first event as the receiver hands it to the writer.
fn first_event(body: &str) -> FirstEvent {
    let received = at("2026-09-20T10:00:01Z");
    let Ok(Delivery::Booking(event)) = parse_delivery(body.as_bytes(), received) else {
        panic!("a booking event: {body}");
    };
    FirstEvent {
        submission_id: event.submission_id.clone().expect("a submission id"),
        idempotency_key: format!("{:x}", Sha256::digest(body)),
        trigger: event.trigger.clone(),
        booking_uid: event.booking_uid.clone(),
        link_uid: event.link_uid().map(str::to_owned),
        event_at: DbTime::new(event.at),
        received_at: DbTime::new(received),
        json: serde_json::to_string(&event).expect("json"),
        source: EventSource::Webhook,
        raw_body: Some(body.as_bytes().to_vec()),
        links: vec![(event.booking_uid.clone().expect("a uid"), None)],
        projection: project(Stage::New, std::slice::from_ref(&*event)),
    }
}

/// Leads Ana, Bo and Cy, an event held for Cy's booking, and a batch of first events: Ana's,
/// Bo's, one for a lead that does not exist, Ana's again (another booking), Cy's.
struct BatchCase {
    db: Db,
    ana: String,
    bo: String,
    batch: Vec<FirstEvent>,
    _test_db: TestDb,
}

async fn batch_case(backend: Backend) -> BatchCase {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let (ana, bo, cy) = (
        seed_lead(&db).await,
        seed_lead(&db).await,
        seed_lead(&db).await,
    );
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into booking_events (idempotency_key, trigger_event, booking_uid, link_uid, \
         status, event_at, received_at, event) \
         values ('held-for-cy', 'MEETING_ENDED', 'uidCy', 'uidCy', 'held', $1, $1, '{}')",
    )
    .bind(DbTime::new(at("2026-10-01T09:30:00Z")))
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("a held event");
    let created = |lead: &str, uid: &str| {
        first_event(&payloads::booking_created(
            &booking(lead, uid, "2026-10-01T09:00:00Z"),
            at("2026-09-20T10:00:00Z"),
        ))
    };
    let batch = vec![
        created(&ana, "uidAna"),
        created(&bo, "uidBo"),
        created(&uuid::Uuid::new_v4().to_string(), "uidNobody"),
        created(&ana, "uidAnaAgain"),
        created(&cy, "uidCy"),
    ];
    BatchCase {
        db,
        ana,
        bo,
        batch,
        _test_db: test_db,
    }
}

/// Each event landed exactly where the one-plan write would have: not on a lead that is
/// missing, already moved (by the batch itself), or waiting for an event held for the booking.
async fn landed_only_where_a_lone_write_would(case: &BatchCase, commits: &[Commit]) {
    let (db, ana, bo) = (&case.db, &case.ana, &case.bo);
    assert_eq!(commits[1], Commit::Done, "{commits:?}");
    assert_eq!(commits[2], Commit::Conflict, "no such lead: {commits:?}");
    assert_eq!(
        commits[4],
        Commit::Conflict,
        "held for its uid: {commits:?}"
    );
    let ana_won = [commits[0], commits[3]];
    assert!(
        ana_won == [Commit::Done, Commit::Conflict] || ana_won == [Commit::Conflict, Commit::Done],
        "one of Ana's two first events lands: {commits:?}"
    );
    let ana_uid = if commits[0] == Commit::Done {
        "uidAna"
    } else {
        "uidAnaAgain"
    };
    assert_eq!(
        lead_booking(db, ana).await.booking_uid.as_deref(),
        Some(ana_uid)
    );
    assert_eq!(lead_booking(db, bo).await.stage, "booked");
    assert_eq!(
        count(db, "select count(*) from leads where stage = 'new'").await,
        1,
        "Cy waits"
    );
    assert_eq!(
        count(
            db,
            "select count(*) from booking_events where status = 'applied'"
        )
        .await,
        2
    );
    assert_eq!(
        count(db, "select count(*) from booking_event_bodies").await,
        2
    );
    assert_eq!(
        count(
            db,
            &format!(
                "select count(*) from bookings where (booking_uid = '{ana_uid}' \
                 and submission_id = '{ana}') or (booking_uid = 'uidBo' and submission_id = '{bo}')"
            )
        )
        .await,
        2
    );
    assert_eq!(count(db, "select count(*) from bookings").await, 2);
}

/// PostgreSQL's one statement for the whole batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_statement_for_a_batch_lands_only_the_events_a_lone_write_would() {
    let case = batch_case(Backend::Postgres).await;
    let Db::Postgres(pg) = &case.db else {
        unreachable!("a PostgreSQL database")
    };

    let commits = commit_first_events(pg, &case.batch)
        .await
        .expect("the batch");

    landed_only_where_a_lone_write_would(&case, &commits).await;
}

/// The writer, on either backend, with the events handed to it at once.
async fn the_writer_lands_only_the_first_events_a_lone_write_would(backend: Backend) {
    let case = batch_case(backend).await;
    let writer = FirstEventWriter::start(&case.db, 1);

    let commits: Vec<Commit> = join_all(case.batch.iter().map(|event| async {
        writer
            .commit(&case.db, &event.plan())
            .await
            .expect("a commit")
    }))
    .await;

    landed_only_where_a_lone_write_would(&case, &commits).await;
}
