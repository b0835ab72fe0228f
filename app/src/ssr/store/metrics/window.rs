//! The dashboard's numbers for a window and its prior period, computed in SQL over the
//! `leads` table. Each must equal what [`crate::domain::metrics::compute`] answers for the
//! same leads (a property test checks). The counts are one statement for both backends; the
//! percentiles differ by dialect: PostgreSQL has `percentile_cont`, SQLite gets the same
//! interpolation from ranked rows.

use sqlx::FromRow;

use crate::{
    domain::metrics::{Funnel, Metrics, Period, Ratio},
    ssr::db::{on_pool, Db, DbTime, Pool},
};

/// Leads created in the window: the cohort and its funnel.
const COHORT_COUNTS: &str = "select \
       count(*) as leads, \
       coalesce(sum(case when invited_at is not null then 1 else 0 end), 0) as invited, \
       coalesce(sum(case when first_booked_at is not null then 1 else 0 end), 0) as booked, \
       coalesce(sum(case when first_booked_at is not null and reschedule_count > 0 then 1 else 0 end), 0) as rescheduled, \
       coalesce(sum(case when first_booked_at is not null and stage = 'cancelled' then 1 else 0 end), 0) as booked_cancelled, \
       coalesce(sum(case when stage = 'completed' then 1 else 0 end), 0) as completed, \
       coalesce(sum(case when stage = 'cancelled' then 1 else 0 end), 0) as cancelled, \
       coalesce(sum(case when stage = 'no_show' then 1 else 0 end), 0) as no_show \
     from leads \
     where created_at >= $1 and created_at < $2 and ($3 is null or source = $3)";

/// Bookings whose slot ended in the window: outcomes.
const SLOT_ENDED_COUNTS: &str = "select \
       coalesce(sum(case when stage = 'no_show' then 1 else 0 end), 0) as no_show, \
       coalesce(sum(case when stage in ('no_show', 'completed') then 1 else 0 end), 0) as with_outcome, \
       coalesce(sum(case when stage not in ('cancelled', 'rejected') then 1 else 0 end), 0) as meeting_expected \
     from leads \
     where first_booked_at is not null and booking_end >= $1 and booking_end < $2 \
       and ($3 is null or source = $3)";

/// Both percentiles from one sort, of the waits as intervals (cheaper to order than their
/// epoch seconds), turned into seconds afterwards.
const PG_TIME_TO_BOOK: &str = "select extract(epoch from p[1])::float8, extract(epoch from p[2])::float8 \
     from (select percentile_cont(array[0.5, 0.9]) within group (order by first_booked_at - created_at) as p \
           from leads \
           where created_at >= $1 and created_at < $2 and ($3 is null or source = $3) \
             and first_booked_at is not null) waits";

/// `percentile_cont` by hand: rank the waits, take the two rows around `p·(n−1)` and
/// interpolate between them.
const SQLITE_TIME_TO_BOOK: &str = "with waits as ( \
       select (julianday(first_booked_at) - julianday(created_at)) * 86400.0 as wait \
       from leads \
       where created_at >= $1 and created_at < $2 and ($3 is null or source = $3) \
         and first_booked_at is not null), \
     ranked as ( \
       select wait, row_number() over (order by wait) - 1 as rn, count(*) over () as n from waits), \
     wanted as ( \
       select p, p * (n - 1) as pos, cast(p * (n - 1) as integer) as lo from ranked, \
         (select 0.5 as p union all select 0.9) group by p, n) \
     select \
       max(case when w.p = 0.5 then low.wait + (high.wait - low.wait) * (w.pos - w.lo) end), \
       max(case when w.p = 0.9 then low.wait + (high.wait - low.wait) * (w.pos - w.lo) end) \
     from wanted w \
     join ranked low on low.rn = w.lo \
     join ranked high on high.rn = min(w.lo + 1, (select max(rn) from ranked))";

#[derive(FromRow)]
struct CohortRow {
    leads: i64,
    invited: i64,
    booked: i64,
    rescheduled: i64,
    booked_cancelled: i64,
    completed: i64,
    cancelled: i64,
    no_show: i64,
}

#[derive(FromRow)]
struct SlotEndedRow {
    no_show: i64,
    with_outcome: i64,
    meeting_expected: i64,
}

/// Every number of the dashboard for a window and for its prior period (both as instants),
/// over the leads of `source` when given: `(window, prior)`. The six statements (three per
/// period) run at the same time; each is a plain aggregate over an index range.
pub async fn for_window_and_prior(
    db: &Db,
    window: &Period,
    prior: &Period,
    source: Option<&str>,
) -> Result<(Metrics, Metrics), sqlx::Error> {
    tokio::try_join!(
        for_period(db, window, source),
        for_period(db, prior, source)
    )
}

/// Every number of the dashboard for one period, over the leads of `source` when given.
async fn for_period(
    db: &Db,
    period: &Period,
    source: Option<&str>,
) -> Result<Metrics, sqlx::Error> {
    let (start, end) = (DbTime::new(period.start), DbTime::new(period.end));
    let (cohort, ended, (p50, p90)) = tokio::try_join!(
        one_row::<CohortRow>(db, COHORT_COUNTS, start, end, source),
        one_row::<SlotEndedRow>(db, SLOT_ENDED_COUNTS, start, end, source),
        time_to_book(db, start, end, source),
    )?;

    Ok(Metrics {
        leads: cohort.leads,
        book_rate: Ratio {
            numerator: cohort.booked,
            denominator: cohort.leads,
        },
        time_to_book_p50_seconds: p50,
        time_to_book_p90_seconds: p90,
        reschedule_rate: Ratio {
            numerator: cohort.rescheduled,
            denominator: cohort.booked,
        },
        cancellation_rate: Ratio {
            numerator: cohort.booked_cancelled,
            denominator: cohort.booked,
        },
        no_show_rate: Ratio {
            numerator: ended.no_show,
            denominator: ended.with_outcome,
        },
        outcome_coverage: Ratio {
            numerator: ended.with_outcome,
            denominator: ended.meeting_expected,
        },
        funnel: Funnel {
            invited: cohort.invited,
            booked: cohort.booked,
            rescheduled: cohort.rescheduled,
            completed: cohort.completed,
            cancelled: cohort.cancelled,
            no_show: cohort.no_show,
        },
    })
}

async fn one_row<R>(
    db: &Db,
    sql: &'static str,
    start: DbTime,
    end: DbTime,
    source: Option<&str>,
) -> Result<R, sqlx::Error>
where
    R: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    on_pool!(db.reads(), pool => sqlx::query_as::<_, R>(sql)
        .bind(start)
        .bind(end)
        .bind(source)
        .fetch_one(pool)
        .await)
}

async fn time_to_book(
    db: &Db,
    start: DbTime,
    end: DbTime,
    source: Option<&str>,
) -> Result<(Option<f64>, Option<f64>), sqlx::Error> {
    match db.reads() {
        Pool::Postgres(pool) => {
            sqlx::query_as::<_, (Option<f64>, Option<f64>)>(PG_TIME_TO_BOOK)
                .bind(start)
                .bind(end)
                .bind(source)
                .fetch_one(pool)
                .await
        }
        Pool::Sqlite(pool) => {
            sqlx::query_as::<_, (Option<f64>, Option<f64>)>(SQLITE_TIME_TO_BOOK)
                .bind(start)
                .bind(end)
                .bind(source)
                .fetch_one(pool)
                .await
        }
    }
}
