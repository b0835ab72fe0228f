//! Finding leads by what an owner remembers of them: a submission id exactly, or part of a
//! name, email or company (case-insensitive), newest first.

use crate::{
    domain::booking::Stage,
    ssr::db::{on_pool, Db, DbTime},
};

/// A lead as a search lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadMatchRow {
    pub submission_id: String,
    pub name: String,
    pub email: String,
    pub source: String,
    pub stage: Stage,
    pub created_at: DbTime,
}

/// `text` as a `like` pattern matching it anywhere, its own `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Leads whose submission id is `text`, or whose name, email or company contains it; the exact
/// id first, then newest first. At most `limit`.
// The lowercased text is spelt as the lead list's trigram index on PostgreSQL spells it, so
// the search can use that index where it exists.
pub async fn search(db: &Db, text: &str, limit: i64) -> Result<Vec<LeadMatchRow>, sqlx::Error> {
    let text = text.trim();
    on_pool!(db.reads(), pool => sqlx::query_as::<_, LeadMatchRow>(
        "select submission_id, name, email, source, stage, created_at from leads \
         where submission_id = $1 \
         or lower(name || ' ' || email || ' ' || coalesce(company, '')) like $2 escape '\\' \
         order by case when submission_id = $1 then 0 else 1 end, created_at desc, \
         submission_id desc limit $3",
    )
    .bind(text)
    .bind(contains_pattern(text))
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_the_text_are_taken_literally() {
        assert_eq!(contains_pattern("Ana"), "%ana%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
