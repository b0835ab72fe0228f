//! The review queue: everything the automation could not settle by itself, raised, shown a
//! page at a time, and settled by an owner's action, every action audited.

pub mod act;
pub mod audit_trail;
pub mod bulk;
pub mod gate;
mod linking;
pub mod queue;
pub mod refresh;
pub mod sync_check;
mod view;

pub use act::act;
pub use gate::RefreshGate;
pub use linking::find_leads;
pub use queue::{item, open_counts, page};
pub use refresh::{refresh, refresh_if_stale};
