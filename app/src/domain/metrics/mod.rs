//! The dashboard's numbers, defined once as pure code over a lead's facts. This is the
//! reference the database queries are tested against: for any set of leads, window and source
//! filter, SQL must answer exactly what [`compute`] answers.
//!
//! - leads: the cohort, leads created in the window;
//! - book rate: cohort leads Cal.com ever booked (a creation, or a reschedule of one) ÷ cohort;
//! - time to book: first booking − lead created, over booked cohort leads (continuous
//!   percentiles, as PostgreSQL's `percentile_cont`), in seconds;
//! - reschedule rate: cohort bookings rescheduled at least once ÷ cohort bookings;
//! - cancellation rate: cohort bookings whose state is cancelled ÷ cohort bookings;
//! - no-show rate: bookings whose slot ended in the window in state no-show ÷ those in state
//!   no-show or completed;
//! - outcome coverage: bookings whose slot ended in the window with an outcome (completed or
//!   no-show) ÷ bookings whose slot ended in the window and that were not cancelled or
//!   rejected (those had no meeting to report on);
//! - funnel over the cohort: invited, booked, rescheduled (at least once), and by state
//!   completed, cancelled, no-show.
//!
//! A rate whose denominator is zero is `None`, never 0 or NaN. The rest of the dashboard (the
//! source breakdown, the weekly trend, the latest no-shows and cancellations, the feed's
//! health) is defined here the same way.

mod breakdown;
mod compare;
mod compute;
mod days;
mod facts;
mod trend;
mod trust;
mod window;

pub use breakdown::{recent_lost, source_counts, SourceCounts};
pub use compare::{compare, CountChange, FunnelChange, MetricsChange, RateChange, SecondsChange};
pub use compute::{compute, percentile_cont};
pub use days::{calendar, day_number, day_start, BusinessDay, FIRST_DAY, LAST_DAY};
pub use facts::{Funnel, LeadFacts, Metrics, Ratio};
pub use trend::{trend_weeks, week_boundaries, week_counts, WeekCounts, MIN_TREND_WEEKS};
pub use trust::{assess_feed, reconcile_reason, FeedHealth, FeedVerdict, ItemFacts};
pub use window::{today, window_from_query, Period, Window, WindowError};

#[cfg(test)]
mod tests;
