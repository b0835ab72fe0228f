//! Time-to-book percentiles, exact, from the leads themselves (an index-only range of the
//! window's cohort), kept in memory and reused while the window's waits have not changed:
//! every change that can move them (a lead with a first booking entering or leaving a tally
//! row, or its created time, source or first booking changing) raises the sum of the window's
//! tally rows' revisions (or, after a rebuild, the tallies' generation), so a cached value is
//! served only for the very waits it was computed from. New leads that have not booked, and
//! outcomes of booked ones, leave it standing.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        LazyLock, Mutex,
    },
};

use futures_util::TryStreamExt;

use crate::{
    domain::metrics::percentile_cont,
    ssr::db::{DbTime, Pool},
};

/// The entries kept before the cache starts over (each is a few dozen bytes).
const CAPACITY: usize = 1_024;

/// What a window's cohort tallies looked like: equal fingerprints, equal waits. Revisions
/// only grow, and a row appears with a revision above 0 only for a lead that booked, so the
/// sum moves with every change to the window's waits and with nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub generation: i64,
    pub revisions: i64,
}

/// The median and 90th percentile of a window's waits, in seconds.
pub type Percentiles = (Option<f64>, Option<f64>);

/// A window as days (first and last, inclusive) and its source filter.
type Key = (i64, i64, Option<String>);

/// Percentiles by window, each with the fingerprint it was computed at.
#[derive(Debug, Default)]
pub struct PercentileCache {
    entries: Mutex<HashMap<Key, (Fingerprint, Percentiles)>>,
    computed: AtomicU64,
}

impl PercentileCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times percentiles were read from the leads (not served from here).
    pub fn computations(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    fn get(&self, key: &Key, now: Fingerprint) -> Option<Percentiles> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| *at == now)
            .map(|(_, values)| *values)
    }

    fn put(&self, key: Key, at: Fingerprint, values: Percentiles) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, (at, values));
    }
}

/// The window's cohort tallies' fingerprint, beside the waits' percentiles: one statement,
/// so both are read from one snapshot. `$1`/`$2` are the period's instants, `$3` the source,
/// `$4`/`$5` its first and last day.
const FINGERPRINT: &str = "(select generation from tally_zone where id = 1), \
     (select cast(coalesce(sum(revision), 0) as bigint) from cohort_tallies \
       where day >= $4 and day <= $5 and ($3 is null or source = $3))";

/// Both percentiles from one sort, of the waits as intervals (cheaper to order than their
/// epoch seconds), turned into seconds afterwards.
static PG_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "select {FINGERPRINT}, extract(epoch from p[1])::float8, extract(epoch from p[2])::float8 \
         from (select percentile_cont(array[0.5, 0.9]) within group \
                 (order by first_booked_at - created_at) as p \
               from leads \
               where created_at >= $1 and created_at < $2 and ($3 is null or source = $3) \
                 and first_booked_at is not null) waits"
    )
});

/// SQLite has no `percentile_cont`: the waits come back in one scan, each row beside the
/// fingerprint (a constant, computed once), and are ranked here. The left join answers one
/// row, with no wait, for a window without any. (Ranked in SQL with window functions, the
/// cohort went through temporary b-trees: at 1,000,000 leads, a third of the live heap at the
/// server's peak, valgrind's massif showed.)
static SQLITE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "select {FINGERPRINT}, waits.wait from (select 1) left join ( \
           select (julianday(first_booked_at) - julianday(created_at)) * 86400.0 as wait \
           from leads \
           where created_at >= $1 and created_at < $2 and ($3 is null or source = $3) \
             and first_booked_at is not null) waits"
    )
});

type Row = (Option<i64>, i64, Option<f64>, Option<f64>);

/// The percentiles of the window `days` (its instants `start..end`), from the cache when its
/// tallies still have the fingerprint `now`.
pub async fn time_to_book(
    pool: Pool<'_>,
    cache: &PercentileCache,
    (start, end): (DbTime, DbTime),
    days: (i64, i64),
    source: Option<&str>,
    now: Fingerprint,
) -> Result<Percentiles, sqlx::Error> {
    let key = (days.0, days.1, source.map(str::to_owned));
    if let Some(values) = cache.get(&key, now) {
        return Ok(values);
    }
    let (generation, revisions, p50, p90) = match pool {
        Pool::Postgres(pool) => {
            sqlx::query_as::<_, Row>(PG_SQL.as_str())
                .bind(start)
                .bind(end)
                .bind(source)
                .bind(days.0)
                .bind(days.1)
                .fetch_one(pool)
                .await?
        }
        Pool::Sqlite(pool) => {
            let mut rows =
                sqlx::query_as::<_, (Option<i64>, i64, Option<f64>)>(SQLITE_SQL.as_str())
                    .bind(start)
                    .bind(end)
                    .bind(source)
                    .bind(days.0)
                    .bind(days.1)
                    .fetch(pool);
            let (mut generation, mut revisions, mut waits) = (None, 0, Vec::new());
            while let Some((g, r, wait)) = rows.try_next().await? {
                (generation, revisions) = (g, r);
                waits.extend(wait);
            }
            waits.sort_unstable_by(f64::total_cmp);
            (
                generation,
                revisions,
                percentile_cont(&waits, 0.5),
                percentile_cont(&waits, 0.9),
            )
        }
    };
    cache.computed.fetch_add(1, Ordering::Relaxed);
    let at = Fingerprint {
        generation: generation.unwrap_or(0),
        revisions,
    };
    cache.put(key, at, (p50, p90));
    Ok((p50, p90))
}
