//! The intake form's server side: reading attribution off the request, the signed form
//! ticket and its keys, taking in a submission, and writing the leads of concurrent
//! submissions together.

pub mod capture;
pub mod submit;
pub mod ticket;
pub mod ticket_keys;
pub mod writer;

pub use submit::{
    submit, ClientContext, IntakeRejection, IntakeSubmission, SpamReason, SubmitOutcome,
};
