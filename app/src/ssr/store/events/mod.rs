//! Verified webhook events: the log, the booking uids that lead to each lead, and the lead's
//! booking fields written from its folded history.
//!
//! Events are applied optimistically: [`read_for_apply`] reads the lead, its history and the
//! events held for the uids in question without locks; [`commit_applied`] then writes
//! everything in one step that only lands if the lead is still at the version read
//! (`leads.event_version`).

pub mod bodies;
mod commit;
mod context;
mod first_events;
mod log;

pub use commit::{commit_applied, commit_in, ApplyPlan, Commit};
pub use context::{read_for_apply, ApplyContext, HeldEvent, LeadState};
pub use first_events::{commit_first_events, FirstEvent};
pub use log::{
    append, applied_after, by_id, by_key, decode_event, discard_in, held_but_known, EventRow,
    EventSource, EventStatus, LoggedEvent,
};
