//! The `review_items` table: one row per thing the automation could not settle, raised once
//! (its id is stable) and resolved once.

use crate::{
    domain::review::ItemKind,
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
}

const INSERT: &str = "insert into review_items (id, kind, raised_at, submission_id, booking_uid, \
     trigger_event, reason) values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing";

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
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}
