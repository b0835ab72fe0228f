//! The dashboard benchmark's data set, shared by the benchmarks that read it (dashboard,
//! leads): 1,000,000 leads over two years (five sources, every stage) and 3,000,000 booking
//! events, loaded beneath a running server; and signing its owner in.

use std::time::Duration;

use anyhow::Context;
use app::ssr::db::Db;

pub const EMAIL: &str = "bench-owner@example.com";
pub const PASSWORD: &str = "a long benchmark passphrase";
/// The server's variables that create the benchmark's owner.
pub const OWNER_VARS: &[(&str, &str)] = &[("OWNER_EMAIL", EMAIL), ("OWNER_PASSWORD", PASSWORD)];

/// Every lead `g` of `n`: created `g/n` of `$2` days ago; source, stage and booking from `g`.
const PG_LEADS: &str = "insert into leads (submission_id, name, email, message, consented_at, source, \
     stage, created_at, invited_at, first_booked_at, booking_status, booking_uid, booking_start, \
     booking_end, reschedule_count, last_event, last_event_at) \
   select 'lead-' || g, 'Lead ' || g, 'lead' || g || '@example.com', 'Generated', created, \
     (array['direct','spring','partner.example','newsletter','google'])[1 + g % 5], \
     case when g % 10 < 2 then 'invited' when g % 10 = 2 then 'booked' when g % 10 = 3 then 'rescheduled' \
          when g % 10 = 4 then 'completed' when g % 10 = 5 then 'no_show' when g % 10 = 6 then 'cancelled' \
          when g % 10 = 7 then 'requested' else 'new' end, \
     created, case when g % 10 < 8 then created + interval '1 minute' end, \
     case when g % 10 between 2 and 6 then created + (g % 97) * interval '1 hour' end, \
     case when g % 10 between 2 and 7 then 'booked' end, \
     case when g % 10 between 2 and 7 then 'uid-' || g end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 48) * interval '1 hour' end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 48) * interval '1 hour' + interval '30 minutes' end, \
     case when g % 10 = 3 then 1 + g % 3 else 0 end, \
     case when g % 10 between 2 and 7 then 'BOOKING_CREATED' end, \
     case when g % 10 between 2 and 7 then created + (g % 97 + 50) * interval '1 hour' end \
   from (select g, now() - (g::float8 / $1) * $2::float8 * interval '1 day' as created \
         from generate_series(1, $1::int8) g) s";

const PG_EVENTS: &str = "insert into booking_events (idempotency_key, trigger_event, booking_uid, \
     submission_id, status, event_at, received_at, event) \
   select md5(e::text), 'BOOKING_CREATED', 'uid-' || (1 + e % $1), 'lead-' || (1 + e % $1), 'applied', \
     now() - (e::float8 / $2) * interval '730 days', now() - (e::float8 / $2) * interval '730 days', '{}' \
   from generate_series(1, $2::int8) e";

/// The same data for SQLite, whose timestamps are fixed-width RFC 3339 text.
const SQLITE_LEADS: &str = "with recursive n(g) as (select 1 union all select g + 1 from n where g < $1), \
   s as (select g, julianday('now') - g * ($2 * 1.0) / $1 as created from n) \
   insert into leads (submission_id, name, email, message, consented_at, source, \
     stage, created_at, invited_at, first_booked_at, booking_status, booking_uid, booking_start, \
     booking_end, reschedule_count, last_event, last_event_at) \
   select 'lead-' || g, 'Lead ' || g, 'lead' || g || '@example.com', 'Generated', t(created), \
     case g % 5 when 0 then 'direct' when 1 then 'spring' when 2 then 'partner.example' when 3 then 'newsletter' else 'google' end, \
     case when g % 10 < 2 then 'invited' when g % 10 = 2 then 'booked' when g % 10 = 3 then 'rescheduled' \
          when g % 10 = 4 then 'completed' when g % 10 = 5 then 'no_show' when g % 10 = 6 then 'cancelled' \
          when g % 10 = 7 then 'requested' else 'new' end, \
     t(created), case when g % 10 < 8 then t(created + 1 / 1440.0) end, \
     case when g % 10 between 2 and 6 then t(created + (g % 97) / 24.0) end, \
     case when g % 10 between 2 and 7 then 'booked' end, \
     case when g % 10 between 2 and 7 then 'uid-' || g end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 48) / 24.0) end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 48.5) / 24.0) end, \
     case when g % 10 = 3 then 1 + g % 3 else 0 end, \
     case when g % 10 between 2 and 7 then 'BOOKING_CREATED' end, \
     case when g % 10 between 2 and 7 then t(created + (g % 97 + 50) / 24.0) end \
   from s";

const SQLITE_EVENTS: &str = "with recursive n(e) as (select 1 union all select e + 1 from n where e < $2) \
   insert into booking_events (idempotency_key, trigger_event, booking_uid, submission_id, status, \
     event_at, received_at, event) \
   select 'key-' || e, 'BOOKING_CREATED', 'uid-' || (1 + e % $1), 'lead-' || (1 + e % $1), 'applied', \
     t(julianday('now') - e * 730.0 / $2), t(julianday('now') - e * 730.0 / $2), '{}' from n";

/// SQLite has no function for our fixed-width text: spelled out where `t(` appears.
fn sqlite_text_times(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(start) = rest.find("t(") {
        let preceded_by_word = start > 0 && rest.as_bytes()[start - 1].is_ascii_alphanumeric();
        if preceded_by_word {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        }
        out.push_str(&rest[..start]);
        let mut depth = 1;
        let inner_start = start + 2;
        let mut end = inner_start;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = inner_start + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &rest[inner_start..end];
        out.push_str(&format!(
            "(strftime('%Y-%m-%dT%H:%M:%S', {inner}) || '.000000Z')"
        ));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A fresh database of `backend` with the server started on it (the server makes the schema
/// with its migrations), then `leads` and `events` loaded beneath it; the load time printed.
pub async fn loaded_server(
    backend: crate::Backend,
    leads: i64,
    events: i64,
    span_days: i64,
) -> anyhow::Result<(crate::BenchDb, crate::Server, Db)> {
    let database = crate::BenchDb::create(backend).await?;
    let server = crate::Server::start(&database.url, OWNER_VARS).await?;
    let db = database.connect().await?;
    let started = std::time::Instant::now();
    load(&db, leads, events, span_days).await?;
    println!(
        "backend: {backend:?}; loaded {leads} leads over {span_days} days and {events} events \
         in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok((database, server, db))
}

/// Loads `leads` leads created over the last `span_days` days, and `events` events.
pub async fn load(db: &Db, leads: i64, events: i64, span_days: i64) -> anyhow::Result<()> {
    match db {
        Db::Postgres(pool) => {
            sqlx::query(PG_LEADS)
                .bind(leads)
                .bind(span_days)
                .execute(pool)
                .await
                .context("leads")?;
            if events > 0 {
                sqlx::query(PG_EVENTS)
                    .bind(leads)
                    .bind(events)
                    .execute(pool)
                    .await
                    .context("events")?;
            }
            // What autovacuum does to a table after a bulk load: statistics, and the visibility
            // map that lets the dashboard's counts read the covering index alone.
            sqlx::query("vacuum analyze").execute(pool).await?;
        }
        Db::Sqlite(sqlite) => {
            let pool = &sqlite.writer;
            sqlx::query(&sqlite_text_times(SQLITE_LEADS))
                .bind(leads)
                .bind(span_days)
                .execute(pool)
                .await
                .context("leads")?;
            // The recursive series starts at 1 whatever its bound.
            if events > 0 {
                sqlx::query(&sqlite_text_times(SQLITE_EVENTS))
                    .bind(leads)
                    .bind(events)
                    .execute(pool)
                    .await
                    .context("events")?;
            }
            sqlx::query("analyze").execute(pool).await?;
        }
    }
    Ok(())
}

/// The UTC day `offset_days` ago, as YYYY-MM-DD.
pub fn day(offset_days: i64) -> String {
    let at = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * offset_days))
        .unwrap_or(jiff::Timestamp::now());
    at.to_string()[..10].to_owned()
}

/// The `p` quantile (0-1) of sorted durations, by nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Signs the benchmark's owner in; answers the session cookie (`name=value`).
pub async fn sign_in(client: &reqwest::Client, base_url: &str) -> anyhow::Result<String> {
    let signed_in = client
        .post(format!("{base_url}/api/signin"))
        .header("accept", "text/html")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await?;
    Ok(signed_in
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no session cookie")?
        .to_owned())
}
