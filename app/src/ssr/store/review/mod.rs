//! The review queue's SQL: the items themselves, raising the computed kinds, resolving what
//! cleared by itself, and the watermarks of the incremental checks.

pub mod items;
pub mod raise;
pub mod sweep;
pub mod watermarks;

pub use items::{
    get, open_counts, page, raise, raise_in, resolve_in, snooze_in, Cursor, ItemRow, NewItem,
    Resolution,
};
