//! The types that cross the wire between server and browser, one file per resource. Compiled
//! for both sides; the server builds them (`ssr`), the server functions return them (`api`),
//! and the pages render them. They depend on nothing but the pure domain.

pub mod booking;
pub mod dashboard;
pub mod intake;
pub mod leads;
pub mod owner;
pub mod review;
pub mod review_url;
