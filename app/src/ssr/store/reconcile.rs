//! The reconciler's state, shared by every server process: the watermark a pass starts from,
//! when one last succeeded or since when they fail; which lead a booking Cal.com lists
//! belongs to; and, on PostgreSQL, the advisory lock that lets one process reconcile at a time.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use sqlx::{pool::PoolConnection, Postgres};

use crate::ssr::db::{on_pool, Db, DbTime};

/// What the last passes left.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ReconcileStatus {
    /// Bookings created, updated or ended before this were read.
    pub watermark: Option<DbTime>,
    pub last_success_at: Option<DbTime>,
    pub last_attempt_at: Option<DbTime>,
    /// The first failed pass since the last success.
    pub failing_since: Option<DbTime>,
    pub last_error: Option<String>,
    /// What the last successful pass did, in a line.
    pub last_summary: Option<String>,
}

pub async fn status(db: &Db) -> Result<ReconcileStatus, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, ReconcileStatus>(
        "select watermark, last_success_at, last_attempt_at, failing_since, last_error, \
         last_summary from reconcile_status where id = 1",
    )
    .fetch_optional(pool)
    .await)
    .map(Option::unwrap_or_default)
}

/// Records a pass that succeeded at `at` having read up to `watermark` (which never moves
/// back, whichever process writes it).
pub async fn record_success(
    db: &Db,
    watermark: DbTime,
    at: DbTime,
    summary: &str,
) -> Result<(), sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into reconcile_status (id, watermark, last_success_at, last_attempt_at, \
           failing_since, last_error, last_summary) values (1, $1, $2, $2, null, null, $3) \
         on conflict (id) do update set \
           watermark = case when reconcile_status.watermark is null \
             or excluded.watermark > reconcile_status.watermark \
             then excluded.watermark else reconcile_status.watermark end, \
           last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at, \
           failing_since = null, last_error = null, last_summary = excluded.last_summary",
    )
    .bind(watermark)
    .bind(at)
    .bind(summary)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Records a pass that failed at `at` with `error`; the watermark stays, so the next pass
/// reads again what this one could not.
pub async fn record_failure(db: &Db, at: DbTime, error: &str) -> Result<(), sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into reconcile_status (id, last_attempt_at, failing_since, last_error) \
         values (1, $1, $1, $2) \
         on conflict (id) do update set last_attempt_at = excluded.last_attempt_at, \
           failing_since = coalesce(reconcile_status.failing_since, excluded.failing_since), \
           last_error = excluded.last_error",
    )
    .bind(at)
    .bind(error)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// The lead a booking belongs to, and whether its personal data was erased: the lead its
/// submission id names, else the lead whose booking chain holds one of `uids` (the booking's
/// own, then those it was rescheduled from or to).
pub async fn lead_for_booking(
    db: &Db,
    submission_id: Option<&str>,
    uids: [Option<&str>; 3],
) -> Result<Option<(String, bool)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, bool)>(
        "select l.submission_id, l.erased_at is not null from leads l \
         where l.submission_id = coalesce( \
           (select submission_id from leads where submission_id = $1), \
           (select submission_id from bookings where booking_uid = $2), \
           (select submission_id from bookings where booking_uid = $3), \
           (select submission_id from bookings where booking_uid = $4))",
    )
    .bind(submission_id)
    .bind(uids[0])
    .bind(uids[1])
    .bind(uids[2])
    .fetch_optional(pool)
    .await)
}

/// The newest lead (not erased) with `email`: the probable lead of a booking that matches
/// none.
pub async fn lead_by_email(db: &Db, email: &str) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, String>(
        "select submission_id from leads where lower(email) = lower($1) and erased_at is null \
         order by created_at desc limit 1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await)
}

/// Held while this process reconciles; dropping it (or the process dying) lets another.
pub enum ReconcileLock {
    /// SQLite serves one host: the process's own flag is enough.
    Local(LocalGuard),
    Postgres(PoolConnection<Postgres>),
}

/// Clears the process's reconciling flag when dropped.
pub struct LocalGuard(Arc<AtomicBool>);

impl Drop for LocalGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// The advisory lock's key: any fixed number no other part of the app uses.
const LOCK_KEY: i64 = 0x7265_636f_6e63;

impl ReconcileLock {
    /// Takes the reconciler's lock if no other process holds it.
    pub async fn try_take(db: &Db) -> Result<Option<ReconcileLock>, sqlx::Error> {
        match db {
            Db::Sqlite(sqlite) => {
                let flag = &sqlite.reconciling;
                let taken = flag
                    .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok();
                Ok(taken.then(|| ReconcileLock::Local(LocalGuard(flag.clone()))))
            }
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                let taken: bool = sqlx::query_scalar("select pg_try_advisory_lock($1)")
                    .bind(LOCK_KEY)
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(taken.then_some(ReconcileLock::Postgres(conn)))
            }
        }
    }

    /// Gives the lock back (a connection that fails to is closed, which releases it too).
    pub async fn release(self) {
        if let ReconcileLock::Postgres(mut conn) = self {
            let released = sqlx::query("select pg_advisory_unlock($1)")
                .bind(LOCK_KEY)
                .execute(&mut *conn)
                .await;
            if released.is_err() {
                let _ = conn.close().await;
            }
        }
    }
}
