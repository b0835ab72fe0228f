//! The dashboard's breakdowns from the day tallies: leads and outcomes per source, and week by
//! week over whole business days. Each must equal its pure reference in `domain::metrics`.

use std::fmt::Write;

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

/// The weekly query for `weeks` weeks: a table of the weeks (`$2…`, each week's first day,
/// and one more for the day after the last week), joined with the tallies of its days. `$1`
/// is the source filter.
fn weekly_sql(weeks: usize) -> String {
    let mut table = String::new();
    for week in 0..weeks {
        let sep = if week == 0 { "" } else { ", " };
        let _ = write!(table, "{sep}({week}, ${}, ${})", week + 2, week + 3);
    }
    format!(
        "with weeks (week, starts, ends) as (values {table}) \
         select cast(week as bigint), cast(sum(leads) as bigint), cast(sum(booked) as bigint), \
                cast(sum(no_show) as bigint), cast(sum(with_outcome) as bigint) from ( \
           select w.week, t.leads, t.booked, 0 as no_show, 0 as with_outcome \
             from weeks w join cohort_tallies t on t.day >= w.starts and t.day < w.ends \
            where ($1 is null or t.source = $1) \
           union all \
           select w.week, 0, 0, t.no_show, t.with_outcome \
             from weeks w join slot_tallies t on t.day >= w.starts and t.day < w.ends \
            where ($1 is null or t.source = $1)) counted \
         group by week order by week"
    )
}

type WeekRow = (i64, i64, i64, i64, i64);

/// Counts per week, each of the seven days from one of `weeks` (their first days, in order),
/// over the leads of `source` when given.
pub async fn weekly(
    db: &Db,
    weeks: &[Date],
    source: Option<&str>,
) -> Result<Vec<WeekCounts>, sqlx::Error> {
    let mut counts = vec![WeekCounts::default(); weeks.len()];
    let Some(last) = weeks.last() else {
        return Ok(counts);
    };
    let sql = weekly_sql(weeks.len());
    let bounds = weeks
        .iter()
        .map(|first| day_number(*first))
        .chain([day_number(*last) + 7]);
    let rows: Vec<WeekRow> = on_pool!(db.reads(), pool => {
        let mut query = sqlx::query_as(&sql).bind(source);
        for bound in bounds {
            query = query.bind(bound);
        }
        query.fetch_all(pool).await
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_week_starts_where_the_last_one_ended() {
        let sql = weekly_sql(3);
        assert!(
            sql.contains("values (0, $2, $3), (1, $3, $4), (2, $4, $5))"),
            "{sql}"
        );
    }
}
