//! Reading the queue: a page of open items (newest first, keyset pagination), the open count
//! per kind, and the deliveries refused for their signature.

use jiff::Timestamp;

use crate::{
    domain::review::ItemKind,
    error::AppError,
    ssr::{
        db::DbTime,
        review::{refresh::refresh_if_stale, view::item_view},
        state::AppState,
        store::review::{self, Cursor},
    },
    wire::review::{KindCount, RefusedCount, ReviewItem, ReviewPage},
};

/// Items per page unless asked otherwise, and at most.
pub const PAGE_ITEMS: i64 = 50;
pub const MAX_PAGE_ITEMS: i64 = 200;

/// `<raised at, µs since the epoch>_<item id>`: where the next page starts.
fn encode_cursor(cursor: &Cursor) -> String {
    format!(
        "{}_{}",
        cursor.raised_at.timestamp().as_microsecond(),
        cursor.id
    )
}

fn decode_cursor(text: &str) -> Result<Cursor, AppError> {
    let bad = || AppError::BadRequest(format!("{text:?} is not a cursor this queue gave out"));
    let (micros, id) = text.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let raised_at = Timestamp::from_microsecond(micros).map_err(|_| bad())?;
    if ItemKind::of_item_id(id).is_none() {
        return Err(bad());
    }
    Ok(Cursor {
        raised_at: DbTime::new(raised_at),
        id: id.to_owned(),
    })
}

/// A page of open items of `kind` (all kinds when `None`) after `cursor`.
pub async fn page(
    state: &AppState,
    kind: Option<ItemKind>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<ReviewPage, AppError> {
    let cursor = cursor.map(decode_cursor).transpose()?;
    let limit = limit.unwrap_or(PAGE_ITEMS);
    if !(1..=MAX_PAGE_ITEMS).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit must be from 1 to {MAX_PAGE_ITEMS}"
        )));
    }
    refresh_if_stale(state).await?;
    let now = DbTime::now();
    let mut rows = review::page(&state.db, kind, cursor.as_ref(), now, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more.then(|| rows.last()).flatten().map(|row| {
        encode_cursor(&Cursor {
            raised_at: row.raised_at,
            id: row.id.clone(),
        })
    });
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(item_view(state, row).await?);
    }
    let open = open_counts(state, now).await?;
    let (missing, bad) = state.refusals.last_24h(Timestamp::now());
    Ok(ReviewPage {
        items,
        next_cursor,
        open,
        unsigned_refused: RefusedCount {
            last_24h: missing + bad,
            missing_signature: missing,
            bad_signature: bad,
        },
    })
}

/// Open items per kind, every kind listed.
pub async fn open_counts(state: &AppState, now: DbTime) -> Result<Vec<KindCount>, AppError> {
    let counts = review::open_counts(&state.db, now).await?;
    Ok(ItemKind::ALL
        .into_iter()
        .map(|kind| KindCount {
            kind,
            count: counts
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// One item, open or resolved; `NotFound` for an id the queue never raised.
pub async fn item(state: &AppState, id: &str) -> Result<ReviewItem, AppError> {
    let row = review::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(item_view(state, row).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_it_was_given_out() {
        let cursor = Cursor {
            raised_at: DbTime::new("2026-12-01T09:00:00.123456Z".parse().unwrap()),
            id: "not_booked:00000000-0000-4000-8000-000000000001".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&cursor)), Ok(cursor));
        for bad in ["", "abc", "12_nope:1", "x_failure:1"] {
            assert!(decode_cursor(bad).is_err(), "{bad:?}");
        }
    }
}
