//! Receiving Cal.com webhooks: verified before anything is read, recorded exactly once,
//! applied to the lead in Cal.com's time order, and never half-written. Anything that cannot
//! be applied goes to the bounded failure queue, or (an event for a booking not known yet) is
//! held until its booking becomes known.

mod apply;
mod failure;
mod receipt;
mod receive;
mod settle;

pub use failure::{FailedDelivery, UNVERIFIED_BODY_KEPT};
pub use receipt::Receipt;
pub use receive::receive;
pub use settle::settle_held_events;
