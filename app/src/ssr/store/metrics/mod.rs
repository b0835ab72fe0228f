//! The dashboard's numbers in SQL: one window and its prior period, the breakdowns by source
//! and by week, and the feed's health.

mod breakdown;
mod feed;
mod window;

pub use breakdown::{by_source, weekly};
pub use feed::feed_health;
pub use window::for_window_and_prior;
