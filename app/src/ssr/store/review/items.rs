//! The `review_items` table: one row per thing the automation could not settle, raised once
//! (its id is stable) and resolved once; read a page at a time, newest first.

use crate::{
    domain::{booking::Stage, review::ItemKind},
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

crate::text_column!(ItemKind, "review item kind");

/// An item to raise.
#[derive(Clone, Debug)]
pub struct NewItem<'a> {
    pub id: &'a str,
    pub kind: ItemKind,
    pub raised_at: DbTime,
    pub submission_id: Option<&'a str>,
    pub booking_uid: Option<&'a str>,
    pub trigger: Option<&'a str>,
    /// What is wrong, in plain words.
    pub reason: &'a str,
    /// What the item is about as it was read (Cal.com's JSON of a booking), if it keeps it.
    pub payload: Option<&'a str>,
}

const INSERT: &str = "insert into review_items (id, kind, raised_at, submission_id, booking_uid, \
     trigger_event, reason, payload) values ($1, $2, $3, $4, $5, $6, $7, $8) \
     on conflict (id) do nothing";

/// Raises `item` in the caller's transaction unless an item with its id exists (open or
/// resolved); `true` when this call raised it.
pub async fn raise_in(tx: &mut Tx, item: &NewItem<'_>) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(INSERT)
        .bind(item.id)
        .bind(item.kind)
        .bind(item.raised_at)
        .bind(item.submission_id)
        .bind(item.booking_uid)
        .bind(item.trigger)
        .bind(item.reason)
        .bind(item.payload)
        .execute(conn)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// As [`raise_in`], on its own.
pub async fn raise(db: &Db, item: &NewItem<'_>) -> Result<bool, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(INSERT)
        .bind(item.id)
        .bind(item.kind)
        .bind(item.raised_at)
        .bind(item.submission_id)
        .bind(item.booking_uid)
        .bind(item.trigger)
        .bind(item.reason)
        .bind(item.payload)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// An item with what the queue shows of its lead.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemRow {
    pub id: String,
    pub kind: ItemKind,
    pub raised_at: DbTime,
    pub submission_id: Option<String>,
    pub booking_uid: Option<String>,
    pub trigger_event: Option<String>,
    pub reason: String,
    pub snoozed_until: Option<DbTime>,
    pub resolved_at: Option<DbTime>,
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
    pub resolution_reason: Option<String>,
    pub payload: Option<String>,
    pub lead_name: Option<String>,
    pub lead_email: Option<String>,
    pub lead_phone: Option<String>,
    pub lead_source: Option<String>,
    pub lead_stage: Option<Stage>,
    pub lead_last_event: Option<String>,
    pub lead_last_event_at: Option<DbTime>,
}

const SELECT_ITEM: &str = "select r.id, r.kind, r.raised_at, r.submission_id, r.booking_uid, \
     r.trigger_event, r.reason, r.snoozed_until, r.resolved_at, r.resolved_by, r.resolution, \
     r.resolution_reason, r.payload, l.name as lead_name, l.email as lead_email, l.phone as lead_phone, \
     l.source as lead_source, l.stage as lead_stage, l.last_event as lead_last_event, \
     l.last_event_at as lead_last_event_at \
     from review_items r left join leads l on l.submission_id = r.submission_id";

/// One item, resolved or not.
pub async fn get(db: &Db, id: &str) -> Result<Option<ItemRow>, sqlx::Error> {
    let sql = format!("{SELECT_ITEM} where r.id = $1");
    on_pool!(db.reads(), pool => sqlx::query_as::<_, ItemRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// Where a page of the queue starts: after the item raised at `raised_at` with id `id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub raised_at: DbTime,
    pub id: String,
}

/// Open items (not snoozed past `now`) of `kind` when given, newest first, after `cursor`.
// Each filter is written into the statement only when it applies, so that PostgreSQL's plan
// walks the open-items index in order rather than filtering `$n is null or …` row by row.
pub async fn page(
    db: &Db,
    kind: Option<ItemKind>,
    cursor: Option<&Cursor>,
    now: DbTime,
    limit: i64,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    let mut sql = format!(
        "{SELECT_ITEM} where r.resolved_at is null \
         and (r.snoozed_until is null or r.snoozed_until <= $1)"
    );
    let mut next = 2;
    if kind.is_some() {
        sql.push_str(&format!(" and r.kind = ${next}"));
        next += 1;
    }
    if cursor.is_some() {
        sql.push_str(&format!(
            " and (r.raised_at, r.id) < (${next}, ${})",
            next + 1
        ));
        next += 2;
    }
    sql.push_str(&format!(
        " order by r.raised_at desc, r.id desc limit ${next}"
    ));
    on_pool!(db.reads(), pool => {
        let mut query = sqlx::query_as::<_, ItemRow>(&sql).bind(now);
        if let Some(kind) = kind {
            query = query.bind(kind);
        }
        if let Some(cursor) = cursor {
            query = query.bind(cursor.raised_at).bind(cursor.id.as_str());
        }
        query.bind(limit).fetch_all(pool).await
    })
}

/// How many open items (not snoozed past `now`) there are of each kind.
pub async fn open_counts(db: &Db, now: DbTime) -> Result<Vec<(ItemKind, i64)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (ItemKind, i64)>(
        "select kind, count(*) from review_items where resolved_at is null \
         and (snoozed_until is null or snoozed_until <= $1) group by kind",
    )
    .bind(now)
    .fetch_all(pool)
    .await)
}

/// How an item was resolved.
#[derive(Clone, Debug)]
pub struct Resolution<'a> {
    pub at: DbTime,
    /// The owner's email, or `automation` when the condition cleared by itself.
    pub by: &'a str,
    /// The action's name, or what cleared it.
    pub resolution: &'a str,
    pub reason: Option<&'a str>,
}

/// Resolves an open item in the caller's transaction; `false` when it was resolved already.
pub async fn resolve_in(tx: &mut Tx, id: &str, how: &Resolution<'_>) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update review_items set resolved_at = $2, resolved_by = $3, resolution = $4, \
         resolution_reason = $5 where id = $1 and resolved_at is null",
    )
    .bind(id)
    .bind(how.at)
    .bind(how.by)
    .bind(how.resolution)
    .bind(how.reason)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))
}

/// Hides an open item until `until`; `false` when it was resolved already.
pub async fn snooze_in(tx: &mut Tx, id: &str, until: DbTime) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update review_items set snoozed_until = $2 where id = $1 and resolved_at is null",
    )
    .bind(id)
    .bind(until)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))
}
