//! Fixed-window hit counters in the database, so a limit holds across every server process.

use jiff::{Timestamp, ToSpan};

use crate::ssr::db::{in_tx, on_pool, Db, DbTime, Tx};

/// The start of the clock hour `now` falls in.
pub fn hour_window(now: Timestamp) -> DbTime {
    let secs = now.as_second();
    let start = secs - secs.rem_euclid(3600);
    DbTime::new(Timestamp::from_second(start).unwrap_or(now))
}

/// Counts one hit for `bucket` in `window` and answers the window's total, this hit
/// included. Runs in the caller's transaction, so a rolled-back hit is not counted.
pub async fn count_hit(tx: &mut Tx, bucket: &str, window: DbTime) -> Result<i64, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "insert into rate_limit_hits (bucket, window_start, hits) values ($1, $2, 1) \
         on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1 \
         returning hits",
    )
    .bind(bucket)
    .bind(window)
    .fetch_one(conn)
    .await)
}

/// Deletes windows that ended more than an hour before `now`; answers how many.
pub async fn prune(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    let cutoff = DbTime::new(now.checked_sub(2.hours()).unwrap_or(now));
    on_pool!(db.writes(), pool => sqlx::query("delete from rate_limit_hits where window_start < $1")
        .bind(cutoff)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_start_on_the_hour() {
        let now: Timestamp = "2026-11-24T10:59:59.999Z".parse().expect("ts");
        assert_eq!(
            hour_window(now).to_sqlite_text(),
            "2026-11-24T10:00:00.000000Z"
        );
    }
}
