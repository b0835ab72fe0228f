//! What happens to bookings: creating one (as the booker page does), and the host/attendee/
//! cron actions Cal.com turns into webhooks, and seeding many bookings (no webhooks). Each returns the booking and the webhook bodies,
//! built by the app's own `payloads` builders; sending them is [`crate::delivery`]'s job.

mod create;
mod reschedule;
mod seed;
mod shared;
mod types;
mod update;

pub use create::create;
pub use seed::{seed, SeedRequest, MAX_SEED};
pub use types::{Action, ActionError, ActionInput, NewBooking, Outcome};
pub use update::{act, ping};
