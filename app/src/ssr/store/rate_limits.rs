//! Clock-hour hit counters in the database, so a limit holds across every server process.
//! Sign-in reads two of them as a sliding hour ([`WindowCounts`]).

use jiff::{Timestamp, ToSpan};

use crate::{
    domain::rate_limit::{WindowCounts, WINDOW_SECONDS},
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

/// The start of the clock hour `now` falls in.
pub fn hour_window(now: Timestamp) -> DbTime {
    let secs = now.as_second();
    let start = secs - secs.rem_euclid(3600);
    DbTime::new(Timestamp::from_second(start).unwrap_or(now))
}

/// How far `now` is into its clock hour, in seconds.
pub fn elapsed_in_hour(now: Timestamp) -> i64 {
    now.as_second().rem_euclid(WINDOW_SECONDS)
}

fn previous_window(now: Timestamp) -> DbTime {
    hour_window(now.checked_sub(1.hour()).unwrap_or(now))
}

const BOTH_WINDOWS: &str = "select \
     coalesce((select hits from rate_limit_hits where bucket = $1 and window_start = $2), 0), \
     coalesce((select hits from rate_limit_hits where bucket = $1 and window_start = $3), 0)";

/// The hits of `bucket` in the previous and the current hour at `now`, without counting one.
pub async fn window_counts(
    db: &Db,
    bucket: &str,
    now: Timestamp,
) -> Result<WindowCounts, sqlx::Error> {
    let (previous, current) = on_pool!(db.reads(), pool => sqlx::query_as::<_, (i64, i64)>(BOTH_WINDOWS)
        .bind(bucket)
        .bind(previous_window(now))
        .bind(hour_window(now))
        .fetch_one(pool)
        .await)?;
    Ok(WindowCounts { previous, current })
}

/// Counts one hit for `bucket` at `now` and answers both hours' hits, this one included.
pub async fn count_sliding(
    tx: &mut Tx,
    bucket: &str,
    now: Timestamp,
) -> Result<WindowCounts, sqlx::Error> {
    let current = count_hit(tx, bucket, hour_window(now)).await?;
    let previous = in_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "select coalesce((select hits from rate_limit_hits where bucket = $1 and window_start = $2), 0)",
    )
    .bind(bucket)
    .bind(previous_window(now))
    .fetch_one(conn)
    .await)?;
    Ok(WindowCounts { previous, current })
}

/// Takes back one hit of `bucket` in the hour of `now` (an attempt that proved harmless).
pub async fn forgive(tx: &mut Tx, bucket: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update rate_limit_hits set hits = hits - 1 \
         where bucket = $1 and window_start = $2 and hits > 0",
    )
    .bind(bucket)
    .bind(hour_window(now))
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Counts one hit for `bucket` in `window` and answers the window's total, this hit
/// included. Runs in the caller's transaction, so a rolled-back hit is not counted.
async fn count_hit(tx: &mut Tx, bucket: &str, window: DbTime) -> Result<i64, sqlx::Error> {
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
