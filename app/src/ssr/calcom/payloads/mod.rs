//! Webhook bodies shaped exactly as Cal.com sends them (field names, nesting, time formats,
//! flat and wrapped meeting bodies), for the local Cal.com stand-in, tests and benchmarks.

mod booking;
mod facts;
mod meeting;

pub use booking::{
    booking_cancelled, booking_created, booking_paid, booking_payment_initiated, booking_rejected,
    booking_requested, booking_reschedule_requested, booking_rescheduled,
};
pub use facts::{iso_millis, iso_offset, iso_seconds_z, BookingFacts};
pub use meeting::{cal_video_no_show, meeting_flat, meeting_wrapped, no_show_updated, ping};
