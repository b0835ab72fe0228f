//! The owners' lead list: every column of the leads a filter selects, newest first
//! (`created_at`, then `submission_id`, both descending), a keyset page at a time. The CSV
//! export reads the same pages one after another.

use crate::{
    domain::booking::Stage,
    ssr::db::{on_pool, Db, DbTime},
};

/// Every column of a lead, as the list, the export and the detail page read it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadRow {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub message: String,
    pub consented_at: DbTime,
    pub source: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer: Option<String>,
    pub landing_path: Option<String>,
    pub stage: Stage,
    pub created_at: DbTime,
    pub invited_at: Option<DbTime>,
    pub booking_status: Option<Stage>,
    pub booking_uid: Option<String>,
    pub booking_start: Option<DbTime>,
    pub booking_end: Option<DbTime>,
    pub attendee_time_zone: Option<String>,
    pub location: Option<String>,
    pub first_booked_at: Option<DbTime>,
    pub reschedule_count: i32,
    pub cancellation_reason: Option<String>,
    pub last_event: Option<String>,
    pub last_event_at: Option<DbTime>,
    pub erased_at: Option<DbTime>,
}

pub const LEAD_COLUMNS: &str = "l.submission_id, l.name, l.email, l.company, l.phone, \
     l.message, l.consented_at, l.source, l.utm_source, l.utm_medium, l.utm_campaign, \
     l.referrer, l.landing_path, l.stage, l.created_at, l.invited_at, l.booking_status, \
     l.booking_uid, l.booking_start, l.booking_end, l.attendee_time_zone, l.location, \
     l.first_booked_at, l.reschedule_count, l.cancellation_reason, l.last_event, \
     l.last_event_at, l.erased_at";

/// Which leads the list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Created at or after…
    pub start: Option<DbTime>,
    /// …and before.
    pub end: Option<DbTime>,
    pub source: Option<String>,
    pub stage: Option<Stage>,
    /// Text to find in name, email or company (lowercase, trimmed, not empty).
    pub q: Option<String>,
}

/// Where a page starts: after the lead created at `created_at` with id `submission_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub created_at: DbTime,
    pub submission_id: String,
}

/// The lowercased text the search looks in; spelt as the PostgreSQL index
/// `leads_search_trgm_idx` is, so that the index serves it.
const SEARCH_TEXT: &str = "lower(l.name || ' ' || l.email || ' ' || coalesce(l.company, ''))";

/// Queries of at least this many characters use the trigram index (FTS5 on SQLite); shorter
/// ones are matched while walking the list in order (they match often, so that is quick).
const TRIGRAM: usize = 3;

/// `%text%` for `like … escape '\'`, with the pattern characters of `text` escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 phrase matching `text` as a substring (trigram tokenizer).
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// On SQLite, a search matching more leads than this walks the list in order, keeping the
/// matches (it soon has a page); one matching fewer reads the matches and sorts them.
const BROAD_SEARCH: i64 = 2_000;

/// How the SQLite search runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    /// No trigram search (PostgreSQL, no `q`, or a `q` too short for trigrams).
    None,
    /// Read the few matches from the FTS5 index, then sort them.
    FewMatches,
    /// Walk the list in order, keeping the rows the FTS5 index matched.
    ManyMatches,
}

/// One bound value of the statement being built.
enum Arg {
    Time(DbTime),
    Text(String),
    Int(i64),
}

/// Adds an argument; answers its placeholder.
fn next(arg: Arg, args: &mut Vec<Arg>) -> String {
    args.push(arg);
    format!("${}", args.len())
}

/// The statement for a page and its arguments, in placeholder order. Each filter is written
/// into the statement only when it applies, so each backend's planner sees a plain range
/// over one of the list's indexes.
fn statement(
    sqlite: bool,
    search: Search,
    filter: &ListFilter,
    cursor: Option<&ListCursor>,
    limit: i64,
) -> (String, Vec<Arg>) {
    let mut args = Vec::new();
    let q = filter.q.as_deref().filter(|q| !q.is_empty());
    let fts = search != Search::None;
    let mut sql = match search {
        Search::FewMatches => {
            let p = next(Arg::Text(fts_phrase(q.unwrap_or_default())), &mut args);
            format!(
                "select {LEAD_COLUMNS} from leads_search s cross join leads l on l.rowid = s.rowid \
                 where s.leads_search match {p}"
            )
        }
        // `+` keeps the planner from driving the query by the matches: it walks one of the
        // list's indexes in order and looks each row up in the (once computed) match set.
        Search::ManyMatches => {
            let p = next(Arg::Text(fts_phrase(q.unwrap_or_default())), &mut args);
            format!(
                "select {LEAD_COLUMNS} from leads l where +l.rowid in \
                 (select rowid from leads_search where leads_search match {p})"
            )
        }
        Search::None => format!("select {LEAD_COLUMNS} from leads l where true"),
    };
    if let (Some(q), false) = (q, fts) {
        let p = next(Arg::Text(like_pattern(q)), &mut args);
        // PostgreSQL escapes with a backslash by default; SQLite must be told.
        let escape = if sqlite { " escape '\\'" } else { "" };
        sql.push_str(&format!(" and {SEARCH_TEXT} like {p}{escape}"));
    }
    if let Some(start) = filter.start {
        let p = next(Arg::Time(start), &mut args);
        sql.push_str(&format!(" and l.created_at >= {p}"));
    }
    if let Some(end) = filter.end {
        let p = next(Arg::Time(end), &mut args);
        sql.push_str(&format!(" and l.created_at < {p}"));
    }
    if let Some(source) = &filter.source {
        let p = next(Arg::Text(source.clone()), &mut args);
        sql.push_str(&format!(" and l.source = {p}"));
    }
    if let Some(stage) = filter.stage {
        let p = next(Arg::Text(stage.as_str().to_owned()), &mut args);
        sql.push_str(&format!(" and l.stage = {p}"));
    }
    if let Some(cursor) = cursor {
        let at = next(Arg::Time(cursor.created_at), &mut args);
        let id = next(Arg::Text(cursor.submission_id.clone()), &mut args);
        sql.push_str(&format!(
            " and (l.created_at, l.submission_id) < ({at}, {id})"
        ));
    }
    let p = next(Arg::Int(limit), &mut args);
    sql.push_str(&format!(
        " order by l.created_at desc, l.submission_id desc limit {p}"
    ));
    (sql, args)
}

/// Up to `limit` leads the filter selects, after `cursor`, newest first.
pub async fn page(
    db: &Db,
    filter: &ListFilter,
    cursor: Option<&ListCursor>,
    limit: i64,
) -> Result<Vec<LeadRow>, sqlx::Error> {
    let sqlite = matches!(db, Db::Sqlite(_));
    let search = match (db, filter.q.as_deref()) {
        (Db::Sqlite(_), Some(q)) if q.chars().count() >= TRIGRAM => {
            let matches: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar(
                "select count(*) from (select 1 from leads_search \
                 where leads_search match $1 limit $2)",
            )
            .bind(fts_phrase(q))
            .bind(BROAD_SEARCH + 1)
            .fetch_one(pool)
            .await)?;
            if matches > BROAD_SEARCH {
                Search::ManyMatches
            } else {
                Search::FewMatches
            }
        }
        _ => Search::None,
    };
    let (sql, args) = statement(sqlite, search, filter, cursor, limit);
    on_pool!(db.reads(), pool => {
        let mut query = sqlx::query_as::<_, LeadRow>(&sql);
        for arg in args {
            query = match arg {
                Arg::Time(t) => query.bind(t),
                Arg::Text(t) => query.bind(t),
                Arg::Int(n) => query.bind(n),
            };
        }
        query.fetch_all(pool).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_matched_literally() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(fts_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn only_the_filters_given_are_written() {
        let (sql, args) = statement(false, Search::None, &ListFilter::default(), None, 51);
        assert!(
            sql.ends_with("where true order by l.created_at desc, l.submission_id desc limit $1")
        );
        assert_eq!(args.len(), 1);
        let filter = ListFilter {
            q: Some("ana".into()),
            source: Some("spring".into()),
            ..ListFilter::default()
        };
        for search in [Search::FewMatches, Search::ManyMatches] {
            let (sql, args) = statement(true, search, &filter, None, 51);
            assert!(sql.contains("leads_search match $1"), "{sql}");
            assert!(sql.contains("l.source = $2"), "{sql}");
            assert_eq!(args.len(), 3);
        }
    }
}
