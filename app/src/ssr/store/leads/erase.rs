//! Erasing a lead's personal data, statement by statement inside the caller's transaction:
//! the lead's row, the event bodies that name the person, the failed deliveries that carry
//! them, and any copy of their name, email, phone or company in review items and the audit
//! trail. Counts (stage, source, booking times) stay, so the dashboard's numbers do not move.

use crate::{
    domain::booking::Stage,
    ssr::db::{in_tx, DbTime, Tx},
};

/// What the erasure removes, read first so its copies elsewhere can be found.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonalData {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub stage: Stage,
    pub erased_at: Option<DbTime>,
}

impl PersonalData {
    /// The texts whose copies are replaced wherever they were written (non-empty ones).
    pub fn texts(&self) -> Vec<&str> {
        [
            Some(self.name.as_str()),
            Some(self.email.as_str()),
            self.phone.as_deref(),
            self.company.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect()
    }
}

/// Reads the lead's personal data and locks its row until the transaction ends (SQLite's
/// write transaction holds the lock already).
pub async fn lock_in(
    tx: &mut Tx,
    submission_id: &str,
) -> Result<Option<PersonalData>, sqlx::Error> {
    let sql = match tx {
        Tx::Sqlite(_) => {
            "select name, email, phone, company, stage, erased_at from leads \
             where submission_id = $1"
        }
        Tx::Postgres(_) => {
            "select name, email, phone, company, stage, erased_at from leads \
             where submission_id = $1 for update"
        }
    };
    in_tx!(tx, conn => sqlx::query_as::<_, PersonalData>(sql)
        .bind(submission_id)
        .fetch_optional(conn)
        .await)
}

/// Blanks the lead's personal fields (and the free-text ones a person may have filled:
/// the attribution URLs, the meeting location, the cancellation reason) and marks it erased.
/// Bumping `event_version` makes a webhook being applied meanwhile re-read the lead.
pub async fn blank_lead_in(
    tx: &mut Tx,
    submission_id: &str,
    at: DbTime,
) -> Result<bool, sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update leads set name = '', email = '', company = null, phone = null, message = '', \
         referrer = null, landing_path = null, location = null, cancellation_reason = null, \
         erased_at = $2, event_version = event_version + 1 \
         where submission_id = $1 and erased_at is null",
    )
    .bind(submission_id)
    .bind(at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected() == 1))
}

/// The lead's logged events, and the held events (not linked to any lead) whose body holds
/// its submission id or its email: `(id, stored event)`.
// Two statements: the lead's events by `booking_events_submission_id_idx`, the held ones over
// the (small) partial index `booking_events_held_link_uid_idx`, whose `status = 'held'` must
// be spelt out; one `or` of the two would scan the whole log while holding the lead's lock.
pub async fn events_in(
    tx: &mut Tx,
    submission_id: &str,
    email: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let held = match tx {
        Tx::Sqlite(_) => {
            "select id, event from booking_events where status = 'held' \
             and (instr(event, $1) > 0 or ($2 <> '' and instr(event, $2) > 0))"
        }
        Tx::Postgres(_) => {
            "select id, event from booking_events where status = 'held' \
             and (strpos(event, $1) > 0 or ($2 <> '' and strpos(event, $2) > 0))"
        }
    };
    let mut events = in_tx!(&mut *tx, conn => sqlx::query_as::<_, (i64, String)>(
        "select id, event from booking_events where submission_id = $1",
    )
    .bind(submission_id)
    .fetch_all(conn)
    .await)?;
    let held: Vec<(i64, String)> = in_tx!(&mut *tx, conn => sqlx::query_as::<_, (i64, String)>(held)
        .bind(submission_id)
        .bind(email)
        .fetch_all(conn)
        .await)?;
    // A held event has no lead, so the two sets do not overlap.
    events.extend(held);
    Ok(events)
}

/// Replaces a logged event's stored body.
pub async fn rewrite_event_in(tx: &mut Tx, id: i64, event: &str) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query("update booking_events set event = $2 where id = $1")
        .bind(id)
        .bind(event)
        .execute(conn)
        .await
        .map(|_| ()))
}

/// Deletes the delivery bytes kept beside a logged event (the parsed event stays).
pub async fn drop_body_in(tx: &mut Tx, event_id: i64) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query("delete from booking_event_bodies where event_id = $1")
        .bind(event_id)
        .execute(conn)
        .await
        .map(|_| ()))
}

/// Failed deliveries of the lead: the same body as one of its events (linked to it from the
/// review queue), about one of its bookings, or holding its submission id or email.
pub async fn failures_in(
    tx: &mut Tx,
    submission_id: &str,
    email: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = match tx {
        Tx::Sqlite(_) => {
            "select f.id from webhook_failures f where \
               f.body_sha256 in (select idempotency_key from booking_events where submission_id = $1) \
               or f.booking_uid in (select booking_uid from bookings where submission_id = $1) \
               or instr(f.raw_body, $1) > 0 or instr(f.body, $1) > 0 \
               or ($2 <> '' and (instr(f.raw_body, $2) > 0 or instr(f.body, $2) > 0))"
        }
        Tx::Postgres(_) => {
            "select f.id from webhook_failures f where \
               f.body_sha256 in (select idempotency_key from booking_events where submission_id = $1) \
               or f.booking_uid in (select booking_uid from bookings where submission_id = $1) \
               or position(convert_to($1, 'UTF8') in f.raw_body) > 0 or strpos(f.body, $1) > 0 \
               or ($2 <> '' and (position(convert_to($2, 'UTF8') in f.raw_body) > 0 \
                 or strpos(f.body, $2) > 0))"
        }
    };
    in_tx!(tx, conn => sqlx::query_scalar::<_, i64>(sql)
        .bind(submission_id)
        .bind(email)
        .fetch_all(conn)
        .await)
}

/// Drops a failed delivery's body (its hash stays, so a re-delivery is still recognised) and
/// resolves it.
pub async fn blank_failure_in(tx: &mut Tx, id: i64, at: DbTime) -> Result<(), sqlx::Error> {
    in_tx!(tx, conn => sqlx::query(
        "update webhook_failures set raw_body = null, body = '', \
         resolved_at = coalesce(resolved_at, $2), resolution = coalesce(resolution, 'erased') \
         where id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Resolves the lead's open review items, and the open items `item_ids` (its failed
/// deliveries and held events), as settled by the erasure; answers their ids.
pub async fn resolve_items_in(
    tx: &mut Tx,
    submission_id: &str,
    item_ids: &[String],
    at: DbTime,
    by: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut resolved: Vec<String> = in_tx!(&mut *tx, conn => sqlx::query_scalar::<_, String>(
        "update review_items set resolved_at = $2, resolved_by = $3, resolution = 'erased', \
         resolution_reason = 'the lead was erased' \
         where submission_id = $1 and resolved_at is null returning id",
    )
    .bind(submission_id)
    .bind(at)
    .bind(by)
    .fetch_all(conn)
    .await)?;
    for id in item_ids {
        let done = in_tx!(&mut *tx, conn => sqlx::query(
            "update review_items set resolved_at = $2, resolved_by = $3, resolution = 'erased', \
             resolution_reason = 'the lead was erased' where id = $1 and resolved_at is null",
        )
        .bind(id.as_str())
        .bind(at)
        .bind(by)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        if done == 1 {
            resolved.push(id.clone());
        }
    }
    Ok(resolved)
}

/// Replaces every copy of `texts` in the review items and audit entries of the lead (and of
/// `item_ids`) with `[erased]`: reasons an owner typed may name the person.
pub async fn scrub_copies_in(
    tx: &mut Tx,
    submission_id: &str,
    item_ids: &[String],
    texts: &[&str],
) -> Result<(), sqlx::Error> {
    let mut ids = vec![submission_id.to_owned()];
    ids.extend(item_ids.iter().cloned());
    for text in texts {
        for (index, key) in ids.iter().enumerate() {
            let (items, audit) = if index == 0 {
                (
                    "update review_items set reason = replace(reason, $2, '[erased]'), \
                     resolution_reason = replace(resolution_reason, $2, '[erased]') \
                     where submission_id = $1",
                    "update audit_log set detail = replace(detail, $2, '[erased]') \
                     where submission_id = $1",
                )
            } else {
                (
                    "update review_items set reason = replace(reason, $2, '[erased]'), \
                     resolution_reason = replace(resolution_reason, $2, '[erased]') where id = $1",
                    "update audit_log set detail = replace(detail, $2, '[erased]') \
                     where item_id = $1",
                )
            };
            for sql in [items, audit] {
                in_tx!(&mut *tx, conn => sqlx::query(sql)
                    .bind(key.as_str())
                    .bind(*text)
                    .execute(conn)
                    .await
                    .map(|_| ()))?;
            }
        }
    }
    Ok(())
}
