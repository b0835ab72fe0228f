//! How far each incremental check of the review queue has read, shared by every server
//! process. Positions are text that sorts in order (fixed-width times, zero-padded ids), and
//! a position only ever moves forward, whichever process writes it.

use crate::ssr::db::{on_pool, Db, DbTime};

pub async fn get(db: &Db, name: &str) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, String>(
        "select position from review_watermarks where name = $1",
    )
    .bind(name)
    .fetch_optional(pool)
    .await)
}

/// Moves `name` forward to `position` (never back).
pub async fn advance(db: &Db, name: &str, position: &str) -> Result<(), sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into review_watermarks (name, position) values ($1, $2) \
         on conflict (name) do update set position = excluded.position \
         where excluded.position > review_watermarks.position",
    )
    .bind(name)
    .bind(position)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// A time as a position.
pub fn time_position(at: DbTime) -> String {
    at.to_sqlite_text()
}

/// A position as a time; `None` for a position that is not one.
pub fn position_time(position: &str) -> Option<DbTime> {
    DbTime::parse_sqlite_text(position).ok()
}

/// An id as a position.
pub fn id_position(id: i64) -> String {
    format!("{id:020}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_sort_like_what_they_stand_for() {
        assert!(id_position(9) < id_position(10));
        let early = DbTime::new("2026-01-02T00:00:00Z".parse().unwrap());
        let late = DbTime::new("2026-11-02T00:00:00.5Z".parse().unwrap());
        assert!(time_position(early) < time_position(late));
        assert_eq!(position_time(&time_position(late)), Some(late));
    }
}
