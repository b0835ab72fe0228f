//! The intake form's server side: reading attribution off the request, the signed form
//! ticket and its keys, and taking in a submission.

pub mod capture;
pub mod submit;
pub mod ticket;
pub mod ticket_keys;

pub use submit::{
    submit, ClientContext, IntakeRejection, IntakeSubmission, SpamReason, SubmitOutcome,
};
