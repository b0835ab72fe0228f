//! The `leads` table: storing submissions once (`insert`), reading a lead back (`rows`), the
//! owners' list and CSV export (`list`), one lead with its history (`detail`), and erasing a
//! lead's personal data (`erase`).

pub mod detail;
pub mod erase;
mod insert;
pub mod list;
mod rows;

pub use insert::*;
pub use rows::*;
