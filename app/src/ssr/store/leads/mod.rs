//! The `leads` table: storing a submission once and reading it back (`rows`), the owners'
//! list and CSV export (`list`), one lead with its history (`detail`), and erasing a lead's
//! personal data (`erase`).

pub mod detail;
pub mod erase;
pub mod list;
mod rows;

pub use rows::*;
