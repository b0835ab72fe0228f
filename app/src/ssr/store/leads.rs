//! The `leads` table: storing a submission once, reading a lead back.

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

/// The little the booking page shows about a lead.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadGreetingRow {
    pub submission_id: String,
    pub name: String,
    pub stage: String,
}

pub async fn find_greeting(
    db: &Db,
    submission_id: &str,
) -> Result<Option<LeadGreetingRow>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadGreetingRow>(
        "select submission_id, name, stage from leads where submission_id = $1",
    )
    .bind(submission_id)
    .fetch_optional(pool)
    .await)
}
