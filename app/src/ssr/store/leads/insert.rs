//! Storing submissions: exactly one lead per submission id, one at a time or many in one
//! statement, and taking back a lead the same transaction stored when its request is refused.

use std::collections::HashSet;

use sqlx::{Database, Encode, Type};

use crate::ssr::db::{in_tx, on_pool, Db, DbTime, Tx};

/// A validated submission, ready to store with stage `new`.
#[derive(Clone, Debug)]
pub struct NewLead {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub source: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer: Option<String>,
    pub landing_path: Option<String>,
    pub created_at: DbTime,
}

const INSERT_LEAD: &str = "insert into leads (submission_id, name, email, company, phone, \
     message, consented_at, source, utm_source, utm_medium, utm_campaign, referrer, \
     landing_path, stage, created_at) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'new', $7) \
     on conflict (submission_id) do nothing";

fn insert_lead_query<'q, DB>(lead: &'q NewLead) -> sqlx::query::Query<'q, DB, DB::Arguments<'q>>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    DbTime: Encode<'q, DB> + Type<DB>,
{
    sqlx::query(INSERT_LEAD)
        .bind(lead.submission_id.as_str())
        .bind(lead.name.as_str())
        .bind(lead.email.as_str())
        .bind(lead.company.as_deref())
        .bind(lead.phone.as_deref())
        .bind(lead.message.as_str())
        .bind(lead.created_at)
        .bind(lead.source.as_str())
        .bind(lead.utm_source.as_deref())
        .bind(lead.utm_medium.as_deref())
        .bind(lead.utm_campaign.as_deref())
        .bind(lead.referrer.as_deref())
        .bind(lead.landing_path.as_deref())
}

/// Stores the lead unless one with its submission id exists; `true` when this call stored it.
pub async fn insert_once(db: &Db, lead: &NewLead) -> Result<bool, sqlx::Error> {
    on_pool!(db.writes(), pool => insert_lead_query(lead)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// As [`insert_once`], inside a transaction.
pub async fn insert_once_in(tx: &mut Tx, lead: &NewLead) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => insert_lead_query(lead)
        .execute(conn)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// Many leads at once, committed together; answers, for each in order, whether this call
/// stored it. A submission id given twice is stored by its first place only. On PostgreSQL
/// this is one statement however many leads there are.
pub async fn insert_each_once(db: &Db, leads: &[&NewLead]) -> Result<Vec<bool>, sqlx::Error> {
    match db {
        Db::Postgres(pool) => {
            let (first, unique) = first_places(leads);
            let stored = insert_unnested(&unique).fetch_all(pool).await?;
            Ok(answer(leads, first, stored.into_iter().collect()))
        }
        Db::Sqlite(_) => {
            let mut tx = db.begin().await?;
            let stored = insert_each_once_in(&mut tx, leads).await?;
            tx.commit().await?;
            Ok(stored)
        }
    }
}

/// As [`insert_each_once`], inside a transaction. SQLite, in process, takes the leads one by
/// one.
pub async fn insert_each_once_in(
    tx: &mut Tx,
    leads: &[&NewLead],
) -> Result<Vec<bool>, sqlx::Error> {
    let (first, unique) = first_places(leads);
    let stored: HashSet<String> = match tx {
        Tx::Postgres(tx) => insert_unnested(&unique)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect(),
        Tx::Sqlite(tx) => {
            let mut stored = HashSet::with_capacity(unique.len());
            for lead in &unique {
                if insert_lead_query(lead)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
                    == 1
                {
                    stored.insert(lead.submission_id.clone());
                }
            }
            stored
        }
    };
    Ok(answer(leads, first, stored))
}

/// Whether each lead is the first with its submission id, and those first ones.
fn first_places<'q>(leads: &[&'q NewLead]) -> (Vec<bool>, Vec<&'q NewLead>) {
    let mut seen = HashSet::with_capacity(leads.len());
    let first: Vec<bool> = leads
        .iter()
        .map(|lead| seen.insert(lead.submission_id.as_str()))
        .collect();
    let unique = leads
        .iter()
        .zip(&first)
        .filter_map(|(lead, first)| first.then_some(*lead))
        .collect();
    (first, unique)
}

fn answer(leads: &[&NewLead], first: Vec<bool>, stored: HashSet<String>) -> Vec<bool> {
    leads
        .iter()
        .zip(first)
        .map(|(lead, first)| first && stored.contains(&lead.submission_id))
        .collect()
}

const INSERT_UNNESTED: &str = "insert into leads (submission_id, name, email, company, phone, \
     message, consented_at, source, utm_source, utm_medium, utm_campaign, referrer, \
     landing_path, stage, created_at) \
     select submission_id, name, email, company, phone, message, created_at, source, \
     utm_source, utm_medium, utm_campaign, referrer, landing_path, 'new', created_at \
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
     $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], \
     $13::text[]) as given(submission_id, name, email, company, phone, message, created_at, \
     source, utm_source, utm_medium, utm_campaign, referrer, landing_path) \
     on conflict (submission_id) do nothing returning submission_id";

fn insert_unnested<'q>(
    leads: &[&'q NewLead],
) -> sqlx::query::QueryScalar<'q, sqlx::Postgres, String, sqlx::postgres::PgArguments> {
    let text =
        |field: fn(&'q NewLead) -> &'q str| leads.iter().map(|l| field(l)).collect::<Vec<_>>();
    let optional = |field: fn(&'q NewLead) -> Option<&'q str>| {
        leads.iter().map(|l| field(l)).collect::<Vec<_>>()
    };
    sqlx::query_scalar(INSERT_UNNESTED)
        .bind(text(|l| &l.submission_id))
        .bind(text(|l| &l.name))
        .bind(text(|l| &l.email))
        .bind(optional(|l| l.company.as_deref()))
        .bind(optional(|l| l.phone.as_deref()))
        .bind(text(|l| &l.message))
        .bind(leads.iter().map(|l| l.created_at).collect::<Vec<_>>())
        .bind(text(|l| &l.source))
        .bind(optional(|l| l.utm_source.as_deref()))
        .bind(optional(|l| l.utm_medium.as_deref()))
        .bind(optional(|l| l.utm_campaign.as_deref()))
        .bind(optional(|l| l.referrer.as_deref()))
        .bind(optional(|l| l.landing_path.as_deref()))
}

/// Deletes a lead this transaction has just stored, for a request refused after storing it;
/// the tallies' delete triggers take its counts back.
pub async fn take_back_in(tx: &mut Tx, submission_id: &str) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query("delete from leads where submission_id = $1 and stage = 'new'")
        .bind(submission_id)
        .execute(conn)
        .await
        .map(|_| ()))
}
