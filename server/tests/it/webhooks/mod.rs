//! The Cal.com webhook receiver over HTTP, on both backends, with bodies shaped as Cal.com
//! sends them (`app::ssr::calcom::payloads`).

mod bodies;
mod crash;
mod delivery;
mod failures;
mod flood;
mod hostile;
mod ordering;
mod outage;
mod signatures;
mod spool;
mod together;
mod triggers;

use app::ssr::{
    calcom::{payloads::BookingFacts, signature::sign},
    db::{on_pool, Db, DbTime},
    store::leads::{insert_once, NewLead},
};
use jiff::Timestamp;
use reqwest::StatusCode;

use crate::support::{app::WEBHOOK_SECRET, TestApp};

pub fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

/// Stores a lead as the intake form would, and answers its submission id.
pub async fn seed_lead(db: &Db) -> String {
    seed_lead_with_id(db, &uuid::Uuid::new_v4().to_string()).await
}

/// As [`seed_lead`], with submission id `id`.
pub async fn seed_lead_with_id(db: &Db, id: &str) -> String {
    let id = id.to_owned();
    let lead = NewLead {
        submission_id: id.clone(),
        name: "Ana Kovač".into(),
        email: "ana.kovac@example.com".into(),
        company: None,
        phone: None,
        message: "Lower back pain".into(),
        source: "direct".into(),
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
        referrer: None,
        landing_path: Some("/".into()),
        created_at: DbTime::new(at("2026-09-20T09:00:00Z")),
    };
    assert!(insert_once(db, &lead).await.expect("insert"));
    id
}

/// A booking for `submission_id` with uid `uid`, starting at `start`.
pub fn booking(submission_id: &str, uid: &str, start: &str) -> BookingFacts {
    let start = at(start);
    BookingFacts {
        uid: uid.into(),
        booking_id: 1000 + uid.len() as i64,
        event_type_id: 55,
        event_slug: "intro".into(),
        title: "Intro between Maja Novak and Ana Kovač".into(),
        start,
        end: start
            .checked_add(jiff::SignedDuration::from_mins(30))
            .expect("end"),
        attendee_name: "Ana Kovač".into(),
        attendee_email: "ana.kovac@example.com".into(),
        attendee_time_zone: "Europe/Zagreb".into(),
        organizer_name: "Maja Novak".into(),
        organizer_email: "maja@example.com".into(),
        organizer_time_zone: "Europe/London".into(),
        submission_id: Some(submission_id.into()),
        video_call_url: Some(format!("https://app.cal.com/video/{uid}")),
        created_at: at("2026-09-20T10:00:00Z"),
    }
}

/// Posts a body with the given signature header (none when `None`).
pub async fn post_with(app: &TestApp, body: &str, signature: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/webhooks/cal-com"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("x-cal-signature-256", signature);
    }
    request.send().await.expect("send")
}

/// Posts a body signed as Cal.com signs it; answers the status and the JSON result.
pub async fn deliver(app: &TestApp, body: &str) -> (StatusCode, serde_json::Value) {
    let response = post_with(app, body, Some(&sign(WEBHOOK_SECRET, body.as_bytes()))).await;
    let status = response.status();
    let json = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, json)
}

/// Delivers and expects `result`.
pub async fn deliver_expecting(app: &TestApp, body: &str, result: &str) {
    let (status, json) = deliver(app, body).await;
    assert_eq!(status, StatusCode::OK, "{json} for {body}");
    assert_eq!(json["result"], result, "{json} for {body}");
}

/// The lead's booking fields as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadBooking {
    pub stage: String,
    pub booking_status: Option<String>,
    pub booking_uid: Option<String>,
    pub booking_start: Option<DbTime>,
    pub booking_end: Option<DbTime>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
    pub first_booked_at: Option<DbTime>,
    pub reschedule_count: i32,
    pub cancellation_reason: Option<String>,
    pub last_event: Option<String>,
    pub last_event_at: Option<DbTime>,
}

pub async fn lead_booking(db: &Db, submission_id: &str) -> LeadBooking {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadBooking>(
        "select stage, booking_status, booking_uid, booking_start, booking_end, attendee_time_zone, \
         location, first_booked_at, reschedule_count, cancellation_reason, last_event, last_event_at \
         from leads where submission_id = $1",
    )
    .bind(submission_id)
    .fetch_one(pool)
    .await)
    .expect("the lead")
}

pub async fn count(db: &Db, sql: &str) -> i64 {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)
        .expect(sql)
}
