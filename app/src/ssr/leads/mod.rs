//! The owners' leads: the list a page at a time (and as CSV), one lead with its timeline,
//! and erasing a lead's personal data. The pages' server functions and the `/api/leads`
//! routes both call these.

pub mod detail;
pub mod erase;
pub mod export;
pub mod list;
