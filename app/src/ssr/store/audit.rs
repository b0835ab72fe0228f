//! The `audit_log` table: every owner action, who did it and when, with the lead's stage
//! before and after. It holds no personal data of the lead.

use crate::{
    domain::booking::Stage,
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

/// An action to record.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub at: DbTime,
    pub owner_id: &'a str,
    pub owner_email: &'a str,
    /// What was done: the action's name (`link`, `dismiss`, `erase`…).
    pub action: &'a str,
    pub item_id: Option<&'a str>,
    pub submission_id: Option<&'a str>,
    pub stage_before: Option<Stage>,
    pub stage_after: Option<Stage>,
    /// More about it, without personal data (a reason, the lead linked to…).
    pub detail: Option<&'a str>,
}

/// One recorded action.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DbTime,
    pub owner_email: String,
    pub action: String,
    pub item_id: Option<String>,
    pub submission_id: Option<String>,
    pub stage_before: Option<Stage>,
    pub stage_after: Option<Stage>,
    pub detail: Option<String>,
}

const INSERT: &str = "insert into audit_log (at, owner_id, owner_email, action, item_id, \
     submission_id, stage_before, stage_after, detail) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

const COLUMNS: &str = "id, at, owner_email, action, item_id, submission_id, stage_before, \
     stage_after, detail";

/// Records an action in the caller's transaction.
pub async fn record_in(tx: &mut Tx, entry: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(INSERT)
        .bind(entry.at)
        .bind(entry.owner_id)
        .bind(entry.owner_email)
        .bind(entry.action)
        .bind(entry.item_id)
        .bind(entry.submission_id)
        .bind(entry.stage_before)
        .bind(entry.stage_after)
        .bind(entry.detail)
        .execute(conn)
        .await
        .map(|_| ()))
}

/// Records an action on its own.
pub async fn record(db: &Db, entry: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    record_in(&mut tx, entry).await?;
    tx.commit().await
}

/// Newest first, `limit` entries older than entry `before` (when given).
pub async fn page(db: &Db, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!(
        "select {COLUMNS} from audit_log where ($1 is null or id < $1) order by id desc limit $2"
    );
    on_pool!(db.reads(), pool => sqlx::query_as::<_, AuditRow>(&sql)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// Every action on one lead, oldest first.
pub async fn for_lead(db: &Db, submission_id: &str) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from audit_log where submission_id = $1 order by at, id");
    on_pool!(db.reads(), pool => sqlx::query_as::<_, AuditRow>(&sql)
        .bind(submission_id)
        .fetch_all(pool)
        .await)
}
