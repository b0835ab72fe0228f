//! The dashboard's breakdowns in SQL: leads and outcomes per source, and week by week over
//! boundaries computed in Rust (so both backends bucket by the same instants, whatever the
//! calendar does). Each must equal its pure reference in `domain::metrics`.

use std::fmt::Write;

use jiff::Timestamp;

use crate::{
    domain::metrics::{Period, SourceCounts, WeekCounts},
    ssr::db::{on_pool, Db, DbTime},
};

type SourceRow = (String, i64, i64, i64, i64);

/// Per source: leads and bookings of the window's cohort, and outcomes of the slots that ended
/// in it. Sources with neither are left out; most leads first, then by name.
pub async fn by_source(db: &Db, period: &Period) -> Result<Vec<SourceCounts>, sqlx::Error> {
    let (start, end) = (DbTime::new(period.start), DbTime::new(period.end));
    let rows: Vec<SourceRow> = on_pool!(db.reads(), pool => sqlx::query_as(
        "select source, cast(sum(leads) as bigint), cast(sum(booked) as bigint), \
                cast(sum(no_show) as bigint), cast(sum(with_outcome) as bigint) from ( \
           select source, count(*) as leads, \
                  sum(case when first_booked_at is not null then 1 else 0 end) as booked, \
                  0 as no_show, 0 as with_outcome \
             from leads where created_at >= $1 and created_at < $2 group by source \
           union all \
           select source, 0, 0, \
                  sum(case when stage = 'no_show' then 1 else 0 end), \
                  sum(case when stage in ('no_show', 'completed') then 1 else 0 end) \
             from leads where first_booked_at is not null and booking_end >= $1 and booking_end < $2 \
             group by source) per_source \
         group by source order by sum(leads) desc, source",
    )
    .bind(start)
    .bind(end)
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

/// The weekly query for `weeks` weeks: a table of the weeks (`$2…`, each week's start, and
/// one more for the last week's end), joined with the leads created in each week and with
/// the bookings whose slot ended in it. `$1` is the source filter.
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
           select w.week, count(*) as leads, \
                  sum(case when l.first_booked_at is not null then 1 else 0 end) as booked, \
                  0 as no_show, 0 as with_outcome \
             from weeks w join leads l on l.created_at >= w.starts and l.created_at < w.ends \
            where ($1 is null or l.source = $1) group by w.week \
           union all \
           select w.week, 0, 0, \
                  sum(case when l.stage = 'no_show' then 1 else 0 end), \
                  sum(case when l.stage in ('no_show', 'completed') then 1 else 0 end) \
             from weeks w join leads l on l.booking_end >= w.starts and l.booking_end < w.ends \
            where l.first_booked_at is not null and ($1 is null or l.source = $1) \
            group by w.week) counted \
         group by week order by week"
    )
}

type WeekRow = (i64, i64, i64, i64, i64);

/// Counts per week, week `i` being `bounds[i] ≤ t < bounds[i + 1]` (so one count fewer than
/// there are bounds), over the leads of `source` when given.
pub async fn weekly(
    db: &Db,
    bounds: &[Timestamp],
    source: Option<&str>,
) -> Result<Vec<WeekCounts>, sqlx::Error> {
    let weeks = bounds.len().saturating_sub(1);
    let mut counts = vec![WeekCounts::default(); weeks];
    if weeks == 0 {
        return Ok(counts);
    }
    let sql = weekly_sql(weeks);
    let rows: Vec<WeekRow> = on_pool!(db.reads(), pool => {
        let mut query = sqlx::query_as(&sql).bind(source);
        for bound in bounds {
            query = query.bind(DbTime::new(*bound));
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
