//! `/review`, the owners' review queue: the page, one item with its actions, the words it
//! uses, and what the page shares with its items.

mod item;
mod labels;
mod page;
mod shared;

pub use page::ReviewQueuePage;
