//! A webhook to send: what the actions produce and [`crate::delivery`] sends.

/// One webhook body to deliver.
#[derive(Clone, Debug)]
pub struct Webhook {
    pub trigger: String,
    pub booking_uid: Option<String>,
    pub body: String,
}
