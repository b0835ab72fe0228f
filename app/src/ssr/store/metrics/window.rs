//! The dashboard's numbers for a window and its prior period: counts from the day tallies
//! (`store::tallies`), O(days) whatever the number of leads, and the time-to-book percentiles
//! from the leads, cached while the window's waits stand still. Each must equal what
//! [`crate::domain::metrics::compute`] answers for the same leads (a property test checks).

use jiff::tz::TimeZone;
use sqlx::FromRow;

use crate::{
    domain::metrics::{day_number, Funnel, Metrics, Ratio, Window},
    ssr::{
        db::{on_pool, Db, DbTime},
        store::metrics::percentiles::{self, Fingerprint, PercentileCache},
    },
};

/// Leads created in the window: the cohort and its funnel, and the fingerprint of the rows
/// they were read from. `$1`/`$2`: first and last day; `$3`: the source or null.
const COHORT_COUNTS: &str = "select \
       cast(coalesce(sum(leads), 0) as bigint) as leads, \
       cast(coalesce(sum(invited), 0) as bigint) as invited, \
       cast(coalesce(sum(booked), 0) as bigint) as booked, \
       cast(coalesce(sum(rescheduled), 0) as bigint) as rescheduled, \
       cast(coalesce(sum(booked_cancelled), 0) as bigint) as booked_cancelled, \
       cast(coalesce(sum(completed), 0) as bigint) as completed, \
       cast(coalesce(sum(cancelled), 0) as bigint) as cancelled, \
       cast(coalesce(sum(no_show), 0) as bigint) as no_show, \
       (select generation from tally_zone where id = 1) as generation, \
       cast(coalesce(sum(revision), 0) as bigint) as revisions \
     from cohort_tallies \
     where day >= $1 and day <= $2 and ($3 is null or source = $3)";

/// Bookings whose slot ended in the window: outcomes.
const SLOT_ENDED_COUNTS: &str = "select \
       cast(coalesce(sum(no_show), 0) as bigint) as no_show, \
       cast(coalesce(sum(with_outcome), 0) as bigint) as with_outcome, \
       cast(coalesce(sum(meeting_expected), 0) as bigint) as meeting_expected \
     from slot_tallies \
     where day >= $1 and day <= $2 and ($3 is null or source = $3)";

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
    generation: Option<i64>,
    revisions: i64,
}

#[derive(FromRow)]
struct SlotEndedRow {
    no_show: i64,
    with_outcome: i64,
    meeting_expected: i64,
}

/// Every number of the dashboard for `window` and for its prior period, in the business's
/// `zone` (the one the tallies are counted in), over the leads of `source` when given:
/// `(window, prior)`. Both periods are read at the same time.
pub async fn for_window_and_prior(
    db: &Db,
    cache: &PercentileCache,
    window: &Window,
    zone: &TimeZone,
    source: Option<&str>,
) -> Result<(Metrics, Metrics), sqlx::Error> {
    let prior = window.prior();
    tokio::try_join!(
        for_window(db, cache, window, zone, source),
        for_window(db, cache, &prior, zone, source)
    )
}

/// Every number of the dashboard for one window, over the leads of `source` when given.
async fn for_window(
    db: &Db,
    cache: &PercentileCache,
    window: &Window,
    zone: &TimeZone,
    source: Option<&str>,
) -> Result<Metrics, sqlx::Error> {
    let days = (day_number(window.from), day_number(window.to));
    let (cohort, ended) = tokio::try_join!(
        one_row::<CohortRow>(db, COHORT_COUNTS, days, source),
        one_row::<SlotEndedRow>(db, SLOT_ENDED_COUNTS, days, source),
    )?;
    let (p50, p90) = if cohort.booked == 0 {
        (None, None)
    } else {
        let period = window.period(zone);
        let fingerprint = Fingerprint {
            generation: cohort.generation.unwrap_or(0),
            revisions: cohort.revisions,
        };
        percentiles::time_to_book(
            db.reads(),
            cache,
            (DbTime::new(period.start), DbTime::new(period.end)),
            days,
            source,
            fingerprint,
        )
        .await?
    };

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
    (first, last): (i64, i64),
    source: Option<&str>,
) -> Result<R, sqlx::Error>
where
    R: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    on_pool!(db.reads(), pool => sqlx::query_as::<_, R>(sql)
        .bind(first)
        .bind(last)
        .bind(source)
        .fetch_one(pool)
        .await)
}
