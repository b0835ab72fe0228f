//! Reading the list: the filters a query names (a window of the business's days, a source,
//! a stage, search text), checked; a page of leads newest first, with an opaque cursor to
//! the next.

use jiff::{tz::TimeZone, Timestamp};
use serde::Deserialize;

use crate::{
    domain::{booking::Stage, local_time::owner_time, metrics::window_from_query},
    error::AppError,
    ssr::{
        db::DbTime,
        state::AppState,
        store::leads::list::{self, LeadRow, ListCursor, ListFilter},
    },
    wire::leads::{LeadPage, LeadSummary},
};

/// Leads per page unless asked otherwise, and at most.
pub const PAGE_LEADS: i64 = 50;
pub const MAX_PAGE_LEADS: i64 = 500;
/// The longest search text taken.
const MAX_Q_CHARS: usize = 200;

/// What a request asks for, as sent (`/api/leads?…`, the page's GET form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LeadQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub days: Option<String>,
    pub source: Option<String>,
    pub stage: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
    pub format: Option<String>,
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl LeadQuery {
    /// The filter the query names: `from` and `to` (days of `zone`, both included), or the
    /// last `days` days, or every lead; a source; a stage; text to search for.
    pub fn filter(&self, now: Timestamp, zone: &TimeZone) -> Result<ListFilter, AppError> {
        let bad = |e: &dyn std::fmt::Display| AppError::BadRequest(e.to_string());
        let (from, to) = (given(&self.from), given(&self.to));
        let days = given(&self.days)
            .map(|d| {
                d.parse::<u16>()
                    .map_err(|_| AppError::BadRequest(format!("days: {d:?} is not a number")))
            })
            .transpose()?;
        let period = if from.is_some() || to.is_some() || days.is_some() {
            let window = window_from_query(now, zone, from, to, days).map_err(|e| bad(&e))?;
            Some(window.period(zone))
        } else {
            None
        };
        let stage = given(&self.stage)
            .map(|s| {
                Stage::parse(s).ok_or_else(|| AppError::BadRequest(format!("{s:?} is not a stage")))
            })
            .transpose()?;
        let q = given(&self.q).map(str::to_lowercase);
        if q.as_ref().is_some_and(|q| q.chars().count() > MAX_Q_CHARS) {
            return Err(AppError::BadRequest(format!(
                "q: search text is at most {MAX_Q_CHARS} characters"
            )));
        }
        Ok(ListFilter {
            start: period.map(|p| DbTime::new(p.start)),
            end: period.map(|p| DbTime::new(p.end)),
            source: given(&self.source).map(str::to_owned),
            stage,
            q,
        })
    }

    pub fn limit(&self) -> Result<i64, AppError> {
        let limit = match given(&self.limit) {
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("limit: {text:?} is not a number")))?,
            None => PAGE_LEADS,
        };
        if !(1..=MAX_PAGE_LEADS).contains(&limit) {
            return Err(AppError::BadRequest(format!(
                "limit must be from 1 to {MAX_PAGE_LEADS}"
            )));
        }
        Ok(limit)
    }

    pub fn is_csv(&self) -> bool {
        given(&self.format).is_some_and(|f| f.eq_ignore_ascii_case("csv"))
    }
}

/// `<created at, µs since the epoch>_<submission id>`: where the next page starts.
pub fn encode_cursor(cursor: &ListCursor) -> String {
    format!(
        "{}_{}",
        cursor.created_at.timestamp().as_microsecond(),
        cursor.submission_id
    )
}

pub fn decode_cursor(text: &str) -> Result<ListCursor, AppError> {
    let bad = || AppError::BadRequest(format!("{text:?} is not a cursor this list gave out"));
    let (micros, id) = text.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let created_at = Timestamp::from_microsecond(micros).map_err(|_| bad())?;
    // Any id the table holds (rows written by other tools need not be UUIDs).
    if id.is_empty() || id.len() > 200 {
        return Err(bad());
    }
    Ok(ListCursor {
        created_at: DbTime::new(created_at),
        submission_id: id.to_owned(),
    })
}

/// The cursor after `row`.
pub fn cursor_after(row: &LeadRow) -> ListCursor {
    ListCursor {
        created_at: row.created_at,
        submission_id: row.submission_id.clone(),
    }
}

/// A row of the list as owners read it.
pub fn summary(row: LeadRow, zone: &TimeZone) -> LeadSummary {
    let local = |t: DbTime| owner_time(t.timestamp(), zone);
    LeadSummary {
        created_at: row.created_at.timestamp().to_string(),
        created_at_local: local(row.created_at),
        booking_start: row.booking_start.map(|t| t.timestamp().to_string()),
        booking_start_local: row.booking_start.map(local),
        erased: row.erased_at.is_some(),
        submission_id: row.submission_id,
        name: row.name,
        email: row.email,
        company: row.company,
        phone: row.phone,
        source: row.source,
        stage: row.stage,
        booking_status: row.booking_status,
    }
}

/// The page the query asks for.
pub async fn page(state: &AppState, query: &LeadQuery) -> Result<LeadPage, AppError> {
    let zone = &state.settings.owners.time_zone;
    let filter = query.filter(Timestamp::now(), zone)?;
    let limit = query.limit()?;
    let cursor = given(&query.cursor).map(decode_cursor).transpose()?;
    let mut rows = list::page(&state.db, &filter, cursor.as_ref(), limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more
        .then(|| rows.last().map(|row| encode_cursor(&cursor_after(row))))
        .flatten();
    Ok(LeadPage {
        leads: rows.into_iter().map(|row| summary(row, zone)).collect(),
        next_cursor,
        time_zone: crate::domain::local_time::zone_name(zone),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_it_was_given_out() {
        let cursor = ListCursor {
            created_at: DbTime::new("2026-12-01T09:00:00.123456Z".parse().unwrap()),
            submission_id: "00000000-0000-4000-8000-000000000001".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&cursor)), Ok(cursor));
        for bad in ["", "abc", "12_", "x_00000000-0000-4000-8000-000000000001"] {
            assert!(decode_cursor(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn no_window_means_every_lead_and_half_a_window_is_refused() {
        let now: Timestamp = "2026-11-24T15:00:00Z".parse().unwrap();
        let all = LeadQuery::default().filter(now, &TimeZone::UTC).unwrap();
        assert_eq!((all.start, all.end), (None, None));
        let half = LeadQuery {
            from: Some("2026-11-01".into()),
            ..LeadQuery::default()
        };
        assert!(half.filter(now, &TimeZone::UTC).is_err());
        let bad_stage = LeadQuery {
            stage: Some("lost".into()),
            ..LeadQuery::default()
        };
        assert!(bad_stage.filter(now, &TimeZone::UTC).is_err());
    }
}
