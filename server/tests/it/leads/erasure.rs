//! Erasure: a confirmed request removes the lead's name, email, phone, company and message
//! from every table (its event bodies, a failed delivery that carried them, copies in review
//! items and the audit trail), keeps its counts, resolves its open review items, and is
//! audited without personal data.

use app::{
    domain::review::ItemKind,
    ssr::{
        calcom::payloads,
        db::{Db, DbTime},
        store::{
            audit::{self, NewEntry},
            review::{raise, NewItem},
        },
    },
};
use reqwest::{header, StatusCode};
use sqlx::Row;

use super::{get_json, seed, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
    webhooks::{at, booking, count, deliver, deliver_expecting},
};

on_both_backends!(an_erased_lead_leaves_no_personal_data_in_any_table);

const NAME: &str = "Zofia Erasmus";
const EMAIL: &str = "zofia.erasmus@example.com";
const PHONE: &str = "+48600700800";
const COMPANY: &str = "Erasmus Dental";
const MESSAGE: &str = "My molar hurts since Tuesday";

/// Every text (and byte) cell of every table that contains `needle`, as `table.column`.
async fn cells_holding(db: &Db, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    match db {
        Db::Sqlite(sqlite) => {
            let pool = &sqlite.reader;
            let tables: Vec<String> =
                sqlx::query_scalar("select name from sqlite_master where type = 'table'")
                    .fetch_all(pool)
                    .await
                    .expect("tables");
            for table in tables {
                let columns = sqlx::query(&format!("pragma table_info(\"{table}\")"))
                    .fetch_all(pool)
                    .await
                    .expect("columns");
                for column in columns {
                    let column: String = column.get("name");
                    let hits: i64 = sqlx::query_scalar(&format!(
                        "select count(*) from \"{table}\" where instr(cast(\"{column}\" as text), $1) > 0"
                    ))
                    .bind(needle)
                    .fetch_one(pool)
                    .await
                    .expect("scan");
                    if hits > 0 {
                        found.push(format!("{table}.{column}"));
                    }
                }
            }
        }
        Db::Postgres(pool) => {
            let columns: Vec<(String, String, String)> = sqlx::query_as(
                "select table_name::text, column_name::text, data_type::text \
                 from information_schema.columns where table_schema = 'public'",
            )
            .fetch_all(pool)
            .await
            .expect("columns");
            for (table, column, data_type) in columns {
                let test = match data_type.as_str() {
                    "bytea" => format!("position(convert_to($1, 'UTF8') in \"{column}\") > 0"),
                    "text" | "character varying" | "json" | "jsonb" => {
                        format!("strpos(\"{column}\"::text, $1) > 0")
                    }
                    _ => continue,
                };
                let hits: i64 =
                    sqlx::query_scalar(&format!("select count(*) from \"{table}\" where {test}"))
                        .bind(needle)
                        .fetch_one(pool)
                        .await
                        .expect("scan");
                if hits > 0 {
                    found.push(format!("{table}.{column}"));
                }
            }
        }
    }
    found
}

async fn an_erased_lead_leaves_no_personal_data_in_any_table(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let db = &app.state.db;
    let lead = seed(
        db,
        Seed {
            name: NAME,
            email: EMAIL,
            company: Some(COMPANY),
            phone: Some(PHONE),
            message: MESSAGE,
            source: "spring",
            ..Seed::default()
        },
    )
    .await;
    let other = seed(
        db,
        Seed {
            source: "spring",
            ..Seed::default()
        },
    )
    .await;

    // Cal.com's bodies name the attendee; the location is their phone.
    let mut facts = booking(&lead, "uidErase", "2026-10-01T09:00:00Z");
    facts.attendee_name = NAME.into();
    facts.attendee_email = EMAIL.into();
    facts.title = format!("Intro between Maja Novak and {NAME}");
    facts.video_call_url = Some(PHONE.into());
    deliver_expecting(
        &app,
        &payloads::booking_created(&facts, at("2026-09-20T10:00:00Z")),
        "applied",
    )
    .await;
    deliver_expecting(
        &app,
        &payloads::booking_cancelled(
            &facts,
            Some(&format!("{NAME} is ill")),
            at("2026-09-21T10:00:00Z"),
        ),
        "applied",
    )
    .await;
    // A delivery for the same person that could not be applied (an unknown submission id)
    // waits in the failure queue with its body.
    let mut stray = booking(
        &uuid::Uuid::new_v4().to_string(),
        "uidStray",
        "2026-10-02T09:00:00Z",
    );
    stray.attendee_name = NAME.into();
    stray.attendee_email = EMAIL.into();
    let (status, _) = deliver(
        &app,
        &payloads::booking_created(&stray, at("2026-09-22T10:00:00Z")),
    )
    .await;
    assert!(status.is_success(), "{status}");
    assert!(!cells_holding(db, EMAIL).await.is_empty());
    // An open follow-up and an owner's note that names the person.
    let item_id = ItemKind::NotBooked.item_id(&lead);
    raise(
        db,
        &NewItem {
            id: &item_id,
            kind: ItemKind::NotBooked,
            raised_at: DbTime::now(),
            submission_id: Some(&lead),
            booking_uid: None,
            trigger: None,
            reason: "Invited two days ago and never booked",
            payload: None,
        },
    )
    .await
    .expect("raise");
    audit::record(
        db,
        &NewEntry {
            at: DbTime::now(),
            owner_id: "owner",
            owner_email: "owner@acme.example",
            action: "snooze",
            item_id: Some(&item_id),
            submission_id: Some(&lead),
            stage_before: None,
            stage_after: None,
            detail: Some(&format!("{NAME} asked to be called on {PHONE}")),
        },
    )
    .await
    .expect("audit");
    let count_leads = "select count(*) from leads where source = 'spring' and stage = 'cancelled'";
    let before = count(db, count_leads).await;

    let response = app
        .client
        .post(app.url(&format!("/api/leads/{lead}/erase")))
        .header(header::COOKIE, &cookie)
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let erased: serde_json::Value = response.json().await.expect("json");
    assert_eq!(erased["erased_now"], true, "{erased}");
    let resolved = erased["review_items_resolved"]
        .as_array()
        .expect("resolved items");
    assert!(resolved.iter().any(|i| i == item_id.as_str()), "{erased}");
    assert!(
        resolved
            .iter()
            .any(|i| i.as_str().is_some_and(|i| i.starts_with("failure:"))),
        "{erased}"
    );

    for needle in [NAME, EMAIL, PHONE, COMPANY, MESSAGE, "ill"] {
        let needle = if needle == "ill" { "is ill" } else { needle };
        assert_eq!(
            cells_holding(db, needle).await,
            Vec::<String>::new(),
            "{needle:?} remains"
        );
    }
    // The other lead is untouched; the counts stay.
    let (_, kept) = get_json(&app, &format!("/api/leads/{other}"), Some(&cookie)).await;
    assert_eq!(kept["lead"]["name"], "Ana Kovač");
    assert_eq!(count(db, count_leads).await, before);
    assert_eq!(count(db, "select count(*) from leads").await, 2);

    let (_, view) = get_json(&app, &format!("/api/leads/{lead}"), Some(&cookie)).await;
    assert_eq!(view["lead"]["stage"], "cancelled");
    assert_eq!(view["lead"]["booking_uid"], "uidErase");
    assert!(view["lead"]["erased_at"].is_string(), "{view}");
    let audit_entries = audit::for_lead(db, &lead).await.expect("audit");
    let last = audit_entries.last().expect("an entry");
    assert_eq!(
        (last.action.as_str(), last.detail.as_deref()),
        ("erase", Some("erased"))
    );
    assert_eq!(last.submission_id.as_deref(), Some(lead.as_str()));
    let resolution: Option<String> = app::ssr::store::review::get(db, &item_id)
        .await
        .expect("item")
        .and_then(|i| i.resolution);
    assert_eq!(resolution.as_deref(), Some("erased"));
    assert_eq!(
        count(
            db,
            "select count(*) from webhook_failures where resolved_at is null"
        )
        .await,
        0
    );

    // Again (JSON this time): nothing left to do, still 200.
    let again = app
        .client
        .post(app.url(&format!("/api/leads/{lead}/erase")))
        .header(header::COOKIE, &cookie)
        .json(&serde_json::json!({"confirm": "yes"}))
        .send()
        .await
        .expect("send");
    assert_eq!(again.status(), StatusCode::OK);
    let again: serde_json::Value = again.json().await.expect("json");
    assert_eq!(again["erased_now"], false);
    // The search no longer finds the person.
    let (_, found) = get_json(&app, "/api/leads?q=erasmus", Some(&cookie)).await;
    assert_eq!(super::ids(&found), Vec::<String>::new());
}
