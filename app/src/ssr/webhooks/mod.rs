//! Receiving Cal.com webhooks: verified before anything is read, recorded exactly once,
//! applied to the lead in Cal.com's time order, and never half-written. A verified delivery
//! that cannot be applied goes to the bounded failure queue and the review queue; an event
//! for a booking not known yet is held until its booking becomes known; a refused signature
//! is only counted, in memory, and a re-delivery of what this process saw committed is
//! answered from memory too. What the database cannot take waits in the spool.

mod apply;
mod failure;
pub mod first_events;
pub mod gate;
mod owner_events;
mod receipt;
mod receive;
pub mod recent;
pub mod refusals;
mod replay;
mod reprocess;
mod settle;

pub use apply::{apply_with_lead, Origin};
pub use failure::FailedDelivery;
pub use owner_events::{apply_owner_outcome, OwnerOutcome};
pub use receipt::Receipt;
pub use receive::{receive, take_verified};
pub use replay::{replay_spool, spawn_spool_replay, Replayed};
pub use reprocess::{reprocess, Reprocessed};
pub use settle::{replan_lead, settle_held_events, Replanned};
