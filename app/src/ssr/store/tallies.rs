//! The dashboard's tallies: counts per business day and source that triggers on `leads` keep
//! up to date in every write's own transaction (`migrations/*/0012_dashboard_tallies.sql`).
//! They are counted in one time zone, recorded beside them; this module fills the calendar
//! and rebuilds the tallies from `leads` for a zone, and tells the server at start whether
//! they match its `BUSINESS_TIME_ZONE`.

use std::{fmt::Write, time::Instant};

use jiff::tz::TimeZone;

use crate::{
    domain::{
        local_time::zone_name,
        metrics::{calendar, BusinessDay},
    },
    ssr::db::{in_tx, on_pool, Db, DbTime, Tx},
};

/// Calendar rows per insert statement.
const DAYS_PER_STATEMENT: usize = 2_000;

/// What a rebuild did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebuilt {
    pub time_zone: String,
    pub days: usize,
    pub cohort_rows: u64,
    pub slot_rows: u64,
    pub millis: u128,
}

#[derive(Debug, thiserror::Error)]
pub enum TallyError {
    #[error(
        "the dashboard's tallies are counted in {counted_in} but BUSINESS_TIME_ZONE is \
         {configured}: stop every server process and run `server rebuild-tallies` to count \
         them again in {configured}"
    )]
    ZoneChanged {
        counted_in: String,
        configured: String,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The zone the tallies are counted in; `None` before they were first built.
pub async fn counted_in(db: &Db) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_scalar("select time_zone from tally_zone where id = 1")
        .fetch_optional(pool)
        .await)
}

/// Builds the tallies for `zone` if they were never built; refuses when they were built for
/// another zone (a rebuild is the operator's decision). `Some` when it built them. Processes
/// starting at once on a new database build them once: the others wait, then find them.
pub async fn ensure(db: &Db, zone: &TimeZone) -> Result<Option<Rebuilt>, TallyError> {
    let configured = zone_name(zone);
    let counted = match counted_in(db).await? {
        Some(counted) => counted,
        None => {
            let mut tx = locked(db).await?;
            let counted: Option<String> = in_tx!(&mut tx, conn => sqlx::query_scalar(
                "select time_zone from tally_zone where id = 1",
            )
            .fetch_optional(conn)
            .await)?;
            match counted {
                Some(counted) => counted,
                None => return Ok(Some(count_again(tx, zone).await?)),
            }
        }
    };
    if counted == configured {
        Ok(None)
    } else {
        Err(TallyError::ZoneChanged {
            counted_in: counted,
            configured,
        })
    }
}

/// Counts every lead again, in `zone`, in one transaction: the calendar, both tallies and the
/// zone they are counted in. Writers wait for it; readers see the old tallies until it commits.
pub async fn rebuild(db: &Db, zone: &TimeZone) -> Result<Rebuilt, sqlx::Error> {
    let tx = locked(db).await?;
    count_again(tx, zone).await
}

/// A write transaction that holds off every writer of leads and every other rebuild (SQLite's
/// one writer is taken by `begin` already). Readers go on.
async fn locked(db: &Db) -> Result<Tx, sqlx::Error> {
    let mut tx = db.begin().await?;
    if let Tx::Postgres(pg) = &mut tx {
        sqlx::query("lock table leads in share row exclusive mode")
            .execute(&mut **pg)
            .await?;
    }
    Ok(tx)
}

async fn count_again(mut tx: Tx, zone: &TimeZone) -> Result<Rebuilt, sqlx::Error> {
    let started = Instant::now();
    for table in ["cohort_tallies", "slot_tallies", "business_days"] {
        in_tx!(&mut tx, conn => sqlx::query(&format!("delete from {table}"))
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    let days: Vec<BusinessDay> = calendar(zone).collect();
    for chunk in days.chunks(DAYS_PER_STATEMENT) {
        let sql = insert_days_sql(chunk);
        in_tx!(&mut tx, conn => sqlx::query(&sql).execute(conn).await.map(|_| ()))?;
    }
    let cohort_rows = in_tx!(&mut tx, conn => sqlx::query(COUNT_COHORTS)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    let slot_rows = in_tx!(&mut tx, conn => sqlx::query(COUNT_SLOTS)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    let time_zone = zone_name(zone);
    in_tx!(&mut tx, conn => sqlx::query(
        "insert into tally_zone (id, time_zone, generation, rebuilt_at) values (1, $1, 1, $2) \
         on conflict (id) do update set time_zone = excluded.time_zone, \
           generation = tally_zone.generation + 1, rebuilt_at = excluded.rebuilt_at",
    )
    .bind(&time_zone)
    .bind(DbTime::now())
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx.commit().await?;
    Ok(Rebuilt {
        time_zone,
        days: days.len(),
        cohort_rows,
        slot_rows,
        millis: started.elapsed().as_millis(),
    })
}

/// The calendar rows as literals: numbers and instants this module made, nothing from outside.
fn insert_days_sql(days: &[BusinessDay]) -> String {
    let mut sql = String::from("insert into business_days (day, starts_at, ends_at) values ");
    for (i, day) in days.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(
            sql,
            "{sep}({}, '{}', '{}')",
            day.number,
            DbTime::new(day.start).to_sqlite_text(),
            DbTime::new(day.end).to_sqlite_text()
        );
    }
    sql
}

/// The day an instant column of `l` falls on, as a join with `business_days d`.
macro_rules! on_the_day_of {
    ($column:literal) => {
        concat!(
            "join business_days d on d.day = (select b.day from business_days b \
               where b.starts_at <= l.",
            $column,
            " order by b.starts_at desc limit 1) and l.",
            $column,
            " < d.ends_at"
        )
    };
}

const COUNT_COHORTS: &str = concat!(
    "insert into cohort_tallies (day, source, shard, leads, invited, booked, rescheduled, \
       booked_cancelled, completed, cancelled, no_show, revision) \
     select d.day, l.source, 0, count(*), \
       sum(case when l.invited_at is not null then 1 else 0 end), \
       sum(case when l.first_booked_at is not null then 1 else 0 end), \
       sum(case when l.first_booked_at is not null and l.reschedule_count > 0 then 1 else 0 end), \
       sum(case when l.first_booked_at is not null and l.stage = 'cancelled' then 1 else 0 end), \
       sum(case when l.stage = 'completed' then 1 else 0 end), \
       sum(case when l.stage = 'cancelled' then 1 else 0 end), \
       sum(case when l.stage = 'no_show' then 1 else 0 end), 1 \
     from leads l ",
    on_the_day_of!("created_at"),
    " group by d.day, l.source"
);

const COUNT_SLOTS: &str = concat!(
    "insert into slot_tallies (day, source, shard, ended, no_show, with_outcome, \
       meeting_expected) \
     select d.day, l.source, 0, count(*), \
       sum(case when l.stage = 'no_show' then 1 else 0 end), \
       sum(case when l.stage in ('no_show', 'completed') then 1 else 0 end), \
       sum(case when l.stage not in ('cancelled', 'rejected') then 1 else 0 end) \
     from leads l ",
    on_the_day_of!("booking_end"),
    " where l.first_booked_at is not null group by d.day, l.source"
);
