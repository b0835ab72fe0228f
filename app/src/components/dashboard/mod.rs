//! The owners' dashboard, in parts: tiles with formulas, the trend chart, the tables.

mod format;
mod tables;
mod tiles;
mod trend_chart;

pub use format::window as window_text;
pub use tables::{LostTable, SourcesTable};
pub use tiles::Tiles;
pub use trend_chart::TrendChart;
