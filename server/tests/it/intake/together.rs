//! Concurrent submissions are stored together (one transaction for all that wait at once):
//! each still gets the outcome it would have had alone, a lead given twice is stored once,
//! the address limit holds exactly, and a lead the database refuses fails only itself.

use app::ssr::{
    intake::writer::{AddressLimit, LeadWrite, LeadWriter},
    store::{
        leads::{insert_each_once, NewLead},
        tallies,
    },
};

use super::*;
use crate::support::TestDb;

on_both_backends!(
    many_leads_at_once_store_each_submission_id_once,
    concurrent_new_leads_from_one_address_stop_exactly_at_the_limit,
    a_lead_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored,
);

fn new_lead(name: &str) -> NewLead {
    NewLead {
        submission_id: uuid::Uuid::new_v4().to_string(),
        name: name.into(),
        email: "ana@example.com".into(),
        company: None,
        phone: Some("+385 91 234 5678".into()),
        message: "Lower back pain for two weeks".into(),
        source: "direct".into(),
        utm_source: None,
        utm_medium: None,
        utm_campaign: Some("spring".into()),
        referrer: None,
        landing_path: Some("/".into()),
        created_at: DbTime::now(),
    }
}

async fn many_leads_at_once_store_each_submission_id_once(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = counted_db(&test_db).await;
    let earlier = new_lead("Stored Earlier");
    assert_eq!(
        insert_each_once(&db, &[&earlier]).await.expect("insert"),
        [true]
    );
    let (a, mut b) = (new_lead("Ana"), new_lead("Bo"));
    b.source = "newsletter".into();
    let mut a_again = new_lead("Ana Again");
    a_again.submission_id = a.submission_id.clone();

    let stored = insert_each_once(&db, &[&a, &earlier, &a_again, &b])
        .await
        .expect("insert");

    assert_eq!(stored, [true, false, false, true]);
    assert_eq!(lead_count(&db).await, 3);
    let names: Vec<(String, Option<String>)> = on_pool!(db.reads(), pool => sqlx::query_as(
        "select name, utm_campaign from leads order by name",
    )
    .fetch_all(pool)
    .await)
    .expect("names");
    let spring = || Some("spring".to_owned());
    assert_eq!(
        names,
        [
            ("Ana".to_owned(), spring()),
            ("Bo".to_owned(), spring()),
            ("Stored Earlier".to_owned(), spring())
        ],
        "the first place of a repeated id is the one kept"
    );
    assert_eq!(tallied_leads(&db).await, 3);
    assert_eq!(
        tallied_by_source(&db).await,
        [("direct".to_owned(), 2), ("newsletter".to_owned(), 1)],
        "one statement's leads are counted under each one's own source"
    );
}

async fn concurrent_new_leads_from_one_address_stop_exactly_at_the_limit(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[NO_WAIT, ("INTAKE_RATE_LIMIT_PER_HOUR", "5")],
        Default::default(),
    )
    .await;
    let mut bodies = Vec::new();
    for _ in 0..20 {
        let ticket = show_form(&app, "/", None).await;
        bodies.push((
            ticket.submission_id().to_owned(),
            form_body(&ticket, &person()),
        ));
    }
    let first_body = bodies[0].1.clone();

    let responses = join_all(bodies.iter().map(|(_, body)| post_plain(&app, body))).await;

    let booked: Vec<&str> = bodies
        .iter()
        .zip(&responses)
        .filter(|(_, response)| location(response).starts_with("/book/"))
        .map(|((id, _), _)| id.as_str())
        .collect();
    let thanked = responses
        .iter()
        .filter(|response| location(response) == "/thanks")
        .count();
    assert_eq!(
        (booked.len(), thanked),
        (5, 15),
        "five stored, the rest dropped"
    );
    assert_eq!(lead_count(&app.state.db).await, 5);
    assert_eq!(
        counted_hits(&app.state.db).await,
        5,
        "a refused lead leaves no hit behind"
    );
    assert_eq!(
        tallied_leads(&app.state.db).await,
        5,
        "nor a count on the dashboard"
    );
    if booked.contains(&bodies[0].0.as_str()) {
        let replay = post_plain(&app, &first_body).await;
        assert_eq!(location(&replay), format!("/book/{}", bodies[0].0));
    }
}

async fn a_lead_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored(
    backend: Backend,
) {
    let test_db = TestDb::new(backend).await;
    let db = counted_db(&test_db).await;
    refuse_leads_named(&db, "Refuse Me").await;
    let writer = LeadWriter::start(db.clone(), 1);
    let limit = || AddressLimit {
        bucket: "intake:test".into(),
        per_hour: 100,
        now: jiff::Timestamp::now(),
    };
    let names = ["Ana", "Bo", "Refuse Me", "Cy", "Di", "Ed"];
    let leads: Vec<NewLead> = names.iter().map(|name| new_lead(name)).collect();

    let outcomes = join_all(leads.iter().enumerate().map(|(i, lead)| {
        let limited = (i % 2 == 0).then(limit);
        writer.store(lead.clone(), limited)
    }))
    .await;

    for (name, outcome) in names.iter().zip(&outcomes) {
        if *name == "Refuse Me" {
            assert!(outcome.is_err(), "the refused lead fails: {outcome:?}");
        } else {
            assert_eq!(outcome.as_ref().ok(), Some(&LeadWrite::Stored), "{name}");
        }
    }
    assert_eq!(lead_count(&db).await, 5);
    assert_eq!(tallied_leads(&db).await, 5);
    assert_eq!(
        counted_hits(&db).await,
        2,
        "Ana and Di counted; the refused lead's hit rolled back"
    );
}

/// A migrated database whose dashboard tallies count days in UTC, as the server's start-up
/// leaves it.
async fn counted_db(test_db: &TestDb) -> Db {
    let db = test_db.migrated().await;
    tallies::ensure(&db, &jiff::tz::TimeZone::UTC)
        .await
        .expect("tallies counted");
    db
}

/// Makes the database refuse to store a lead of this name, as a constraint would.
async fn refuse_leads_named(db: &Db, name: &str) {
    let statements = match db {
        Db::Sqlite(_) => vec![format!(
            "create trigger refuse_name before insert on leads when new.name = '{name}' \
             begin select raise(abort, 'refused for the test'); end"
        )],
        Db::Postgres(_) => vec![
            "create function refuse_name() returns trigger language plpgsql as $$ \
             begin raise exception 'refused for the test'; end $$"
                .to_owned(),
            format!(
                "create trigger refuse_name before insert on leads for each row \
                 when (new.name = '{name}') execute function refuse_name()"
            ),
        ],
    };
    for statement in statements {
        on_pool!(db.writes(), pool => sqlx::query(&statement).execute(pool).await.map(|_| ()))
            .expect("create the refusing trigger");
    }
}

async fn tallied_leads(db: &Db) -> i64 {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select cast(coalesce(sum(leads), 0) as bigint) from cohort_tallies",
    )
    .fetch_one(pool)
    .await)
    .expect("tallies")
}

async fn tallied_by_source(db: &Db) -> Vec<(String, i64)> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, i64)>(
        "select source, cast(sum(leads) as bigint) from cohort_tallies \
         group by source order by source",
    )
    .fetch_all(pool)
    .await)
    .expect("tallies by source")
}

async fn counted_hits(db: &Db) -> i64 {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select cast(coalesce(sum(hits), 0) as bigint) from rate_limit_hits",
    )
    .fetch_one(pool)
    .await)
    .expect("hits")
}
