//! Random datasets for the dashboard's property tests: leads of several sources over half a
//! year (bookings with reschedules, cancellations, rejections, outcomes and missing
//! outcomes, requests that never became bookings), queued failures and logged events, loaded
//! into a fresh database of either backend.

use app::{
    domain::{
        booking::Stage,
        metrics::{ItemFacts, LeadFacts, Window},
        review::ItemKind,
    },
    ssr::db::{on_pool, Db, DbTime},
};
use jiff::{civil::date, SignedDuration, Timestamp, ToSpan};
use rand::{rngs::StdRng, Rng};

pub const SOURCES: [&str; 4] = ["direct", "spring", "partner.example", "newsletter"];

/// Everything a dataset puts in the database.
pub struct Dataset {
    pub leads: Vec<LeadFacts>,
    /// Review items: each kind, open, resolved, snoozed (into the future, or past it).
    pub items: Vec<(ItemFacts, ItemState)>,
    /// When each logged event was received.
    pub received: Vec<Timestamp>,
}

fn base() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().expect("a time")
}

fn later(rng: &mut StdRng, from: Timestamp, max_secs: i64) -> Timestamp {
    from.checked_add(SignedDuration::from_micros(
        rng.random_range(0..max_secs * 1_000_000),
    ))
    .expect("a time")
}

fn random_lead(rng: &mut StdRng) -> LeadFacts {
    let created_at = later(rng, base(), 180 * 86_400);
    let invited_at = rng.random_bool(0.8).then(|| later(rng, created_at, 3_600));
    let mut lead = LeadFacts {
        submission_id: uuid::Uuid::new_v4().to_string(),
        source: SOURCES[rng.random_range(0..SOURCES.len())].to_owned(),
        stage: if invited_at.is_some() {
            Stage::Invited
        } else {
            Stage::New
        },
        created_at,
        invited_at,
        first_booked_at: None,
        booking_end: None,
        reschedule_count: 0,
        last_event_at: None,
    };
    match rng.random_range(0..10) {
        // Booked at some point, then anything may have happened.
        0..=5 => {
            let booked = later(rng, created_at, 20 * 86_400);
            lead.first_booked_at = Some(booked);
            lead.booking_end = Some(later(rng, booked, 40 * 86_400));
            lead.reschedule_count = [0, 0, 0, 1, 2, 3][rng.random_range(0..6)];
            lead.stage = match rng.random_range(0..7) {
                0 => Stage::Cancelled,
                1 => Stage::Completed,
                2 => Stage::NoShow,
                // A reschedule that needed confirmation, rejected by the host.
                3 => Stage::Rejected,
                // No outcome (yet, or ever: a missing event).
                _ if lead.reschedule_count > 0 => Stage::Rescheduled,
                _ => Stage::Booked,
            };
            // Some share one last-event time, so ties are decided by the submission id.
            lead.last_event_at = Some(if rng.random_bool(0.2) {
                base()
            } else {
                later(rng, booked, 60 * 86_400)
            });
        }
        // A request the host never accepted: a slot, but never booked.
        6 => {
            lead.booking_end = Some(later(rng, created_at, 30 * 86_400));
            lead.stage =
                [Stage::Requested, Stage::Rejected, Stage::Cancelled][rng.random_range(0..3)];
            lead.last_event_at = rng
                .random_bool(0.7)
                .then(|| later(rng, created_at, 30 * 86_400));
        }
        _ => {}
    }
    lead
}

impl Dataset {
    pub fn item_facts(&self) -> Vec<ItemFacts> {
        self.items.iter().map(|(facts, _)| *facts).collect()
    }
}

/// Where a review item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemState {
    Open,
    Resolved,
    SnoozedUntilLater,
    SnoozeOver,
}

pub fn random_dataset(rng: &mut StdRng, size: usize) -> Dataset {
    let leads = (0..size).map(|_| random_lead(rng)).collect();
    let states = [
        ItemState::Open,
        ItemState::Resolved,
        ItemState::SnoozedUntilLater,
        ItemState::SnoozeOver,
    ];
    let items = (0..rng.random_range(0..12))
        .map(|_| {
            let kind = ItemKind::ALL[rng.random_range(0..ItemKind::ALL.len())];
            let state = states[rng.random_range(0..states.len())];
            let open = matches!(state, ItemState::Open | ItemState::SnoozeOver);
            (ItemFacts { kind, open }, state)
        })
        .collect();
    let received = (0..rng.random_range(0..8))
        .map(|_| later(rng, base(), 200 * 86_400))
        .collect();
    Dataset {
        leads,
        items,
        received,
    }
}

pub fn random_window(rng: &mut StdRng) -> Window {
    let first = date(2025, 12, 1);
    let from = first
        .checked_add(rng.random_range(0..260i64).days())
        .expect("a date");
    let days: i64 = [0, 0, 6, 29, 89, 400][rng.random_range(0..6)];
    Window::new(from, from.checked_add(days.days()).expect("a date")).expect("a window")
}

/// Loads the dataset. About a third of the leads are first written with another lead's
/// booking facts (all of them, or only its slot's end) and then updated to their own, and a few leads are written and deleted
/// again, so the tallies' insert, update and delete paths all run.
pub async fn load(db: &Db, data: &Dataset, rng: &mut StdRng) {
    for lead in &data.leads {
        if data.leads.len() > 1 && rng.random_bool(0.35) {
            let other = &data.leads[rng.random_range(0..data.leads.len())];
            let detour = if rng.random_bool(0.5) {
                LeadFacts {
                    submission_id: lead.submission_id.clone(),
                    source: lead.source.clone(),
                    created_at: lead.created_at,
                    ..other.clone()
                }
            } else {
                // Only the slot moves (a reschedule).
                LeadFacts {
                    booking_end: other.booking_end,
                    ..lead.clone()
                }
            };
            insert_lead(db, &detour).await;
            update_booking(db, lead).await;
        } else {
            insert_lead(db, lead).await;
        }
    }
    for _ in 0..rng.random_range(0..4) {
        let ghost = LeadFacts {
            submission_id: uuid::Uuid::new_v4().to_string(),
            ..random_lead(rng)
        };
        insert_lead(db, &ghost).await;
        on_pool!(db.writes(), pool => sqlx::query("delete from leads where submission_id = $1")
            .bind(&ghost.submission_id)
            .execute(pool)
            .await
            .map(|_| ()))
        .expect("delete a lead");
    }
    load_feed(db, data).await;
}

fn at(t: Option<Timestamp>) -> Option<DbTime> {
    t.map(DbTime::new)
}

pub async fn insert_lead(db: &Db, lead: &LeadFacts) {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into leads (submission_id, name, email, message, consented_at, source, stage, \
         created_at, invited_at, first_booked_at, booking_end, reschedule_count, last_event_at) \
         values ($1, 'A Lead', 'lead@example.com', 'Generated.', $2, $3, $4, $2, $5, $6, $7, $8, $9)",
    )
    .bind(&lead.submission_id)
    .bind(DbTime::new(lead.created_at))
    .bind(lead.source.as_str())
    .bind(lead.stage)
    .bind(at(lead.invited_at))
    .bind(at(lead.first_booked_at))
    .bind(at(lead.booking_end))
    .bind(lead.reschedule_count)
    .bind(at(lead.last_event_at))
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("insert a lead");
}

/// Writes the lead's booking facts over what its row holds.
pub async fn update_booking(db: &Db, lead: &LeadFacts) {
    on_pool!(db.writes(), pool => sqlx::query(
        "update leads set stage = $2, invited_at = $3, first_booked_at = $4, booking_end = $5, \
         reschedule_count = $6, last_event_at = $7 where submission_id = $1",
    )
    .bind(&lead.submission_id)
    .bind(lead.stage)
    .bind(at(lead.invited_at))
    .bind(at(lead.first_booked_at))
    .bind(at(lead.booking_end))
    .bind(lead.reschedule_count)
    .bind(at(lead.last_event_at))
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("update a lead");
}

/// The review items and logged events of the feed's health.
async fn load_feed(db: &Db, data: &Dataset) {
    let now = jiff::Timestamp::now();
    let (past, future) = (
        DbTime::new(
            now.checked_sub(SignedDuration::from_hours(1))
                .expect("a time"),
        ),
        DbTime::new(
            now.checked_add(SignedDuration::from_hours(24))
                .expect("a time"),
        ),
    );
    for (facts, state) in &data.items {
        let (resolved_at, snoozed_until) = match state {
            ItemState::Open => (None, None),
            ItemState::Resolved => (Some(past), None),
            ItemState::SnoozedUntilLater => (None, Some(future)),
            ItemState::SnoozeOver => (None, Some(past)),
        };
        on_pool!(db.writes(), pool => sqlx::query(
            "insert into review_items (id, kind, raised_at, reason, resolved_at, snoozed_until) \
             values ($1, $2, $3, 'generated', $4, $5)",
        )
        .bind(facts.kind.item_id(&uuid::Uuid::new_v4().to_string()))
        .bind(facts.kind.as_str())
        .bind(DbTime::new(base()))
        .bind(resolved_at)
        .bind(snoozed_until)
        .execute(pool)
        .await
        .map(|_| ()))
        .expect("insert a review item");
    }
    for received in &data.received {
        on_pool!(db.writes(), pool => sqlx::query(
            "insert into booking_events (idempotency_key, trigger_event, status, event_at, \
             received_at, event) values ($1, 'PING', 'applied', $2, $2, '{}')",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(DbTime::new(*received))
        .execute(pool)
        .await
        .map(|_| ()))
        .expect("insert an event");
    }
}
