//! A lead's booking: the events Cal.com reports about it, the state machine they drive, and
//! the projection of a whole event history onto the lead's booking fields.

mod event;
mod machine;
mod projection;
mod slot;

pub use event::{BookingEvent, EventKind};
pub use machine::{transition, Stage};
pub use projection::{project, BookingProjection};
pub use slot::describe_slot;
