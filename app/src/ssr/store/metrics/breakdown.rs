//! The dashboard's breakdowns from the day tallies: leads and outcomes per source, and week by
//! week over whole business days. Each must equal its pure reference in `domain::metrics`.

use jiff::civil::Date;

use crate::{
    domain::metrics::{day_number, SourceCounts, WeekCounts, Window},
    ssr::db::{on_pool, Db},
};

type SourceRow = (String, i64, i64, i64, i64);

/// Per source: leads and bookings of the window's cohort, and outcomes of the slots that ended
/// in it. Sources with neither are left out; most leads first, then by name.
pub async fn by_source(db: &Db, window: &Window) -> Result<Vec<SourceCounts>, sqlx::Error> {
    let rows: Vec<SourceRow> = on_pool!(db.reads(), pool => sqlx::query_as(
        "select source, cast(sum(leads) as bigint), cast(sum(booked) as bigint), \
                cast(sum(no_show) as bigint), cast(sum(with_outcome) as bigint) from ( \
           select source, leads, booked, 0 as no_show, 0 as with_outcome, leads as counted \
             from cohort_tallies where day >= $1 and day <= $2 \
           union all \
           select source, 0, 0, no_show, with_outcome, ended \
             from slot_tallies where day >= $1 and day <= $2) per_source \
         group by source having sum(counted) > 0 order by sum(leads) desc, source",
    )
    .bind(day_number(window.from))
    .bind(day_number(window.to))
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(source, leads, booked, no_show, with_outcome)| SourceCounts {
                source,
                leads,
                booked,
                no_show,
                with_outcome,
            },
        )
        .collect())
}

/// Counts per week over the tallies of `$2 ≤ day < $3`, week `(day − $2) / 7`; `$1` is the
/// source filter. One index range per table, whatever the number of weeks.
const WEEKLY: &str = "select cast(week as bigint), cast(sum(leads) as bigint), \
       cast(sum(booked) as bigint), cast(sum(no_show) as bigint), \
       cast(sum(with_outcome) as bigint) from ( \
       select (day - $2) / 7 as week, leads, booked, 0 as no_show, 0 as with_outcome \
         from cohort_tallies where day >= $2 and day < $3 and ($1 is null or source = $1) \
       union all \
       select (day - $2) / 7, 0, 0, no_show, with_outcome \
         from slot_tallies where day >= $2 and day < $3 and ($1 is null or source = $1)) counted \
     group by week order by week";

type WeekRow = (i64, i64, i64, i64, i64);

/// Counts for `weeks` consecutive weeks of seven days, the first starting on `first_day`,
/// over the leads of `source` when given.
pub async fn weekly(
    db: &Db,
    first_day: Date,
    weeks: usize,
    source: Option<&str>,
) -> Result<Vec<WeekCounts>, sqlx::Error> {
    let mut counts = vec![WeekCounts::default(); weeks];
    if weeks == 0 {
        return Ok(counts);
    }
    let first = day_number(first_day);
    let end = first + 7 * weeks as i64;
    let rows: Vec<WeekRow> = on_pool!(db.reads(), pool => sqlx::query_as(WEEKLY)
        .bind(source)
        .bind(first)
        .bind(end)
        .fetch_all(pool)
        .await)?;
    for (week, leads, booked, no_show, with_outcome) in rows {
        if let Some(slot) = usize::try_from(week).ok().and_then(|w| counts.get_mut(w)) {
            *slot = WeekCounts {
                leads,
                booked,
                no_show,
                with_outcome,
            };
        }
    }
    Ok(counts)
}
