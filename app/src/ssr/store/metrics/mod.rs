//! The dashboard's numbers in SQL: one window and its prior period, the breakdowns by source
//! and by week (all from the day tallies), and the feed's health.

mod breakdown;
mod feed;
mod percentiles;
mod window;

pub use breakdown::{by_source, weekly};
pub use feed::feed_health;
pub use percentiles::PercentileCache;
pub use window::for_window_and_prior;
