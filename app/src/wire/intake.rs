//! The intake form as the server hands it to the page.

use serde::{Deserialize, Serialize};

use crate::domain::{
    attribution::Attribution,
    intake::{FieldError, IntakeInput},
};

/// Everything the form needs to render: its signed ticket, the attribution captured when it
/// was shown, and (after a rejected submission) what was typed and what was wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeFormState {
    pub submission_id: String,
    pub token: String,
    pub attribution: Attribution,
    pub values: IntakeInput,
    pub errors: Vec<FieldError>,
    /// The form was sent after its ticket expired: it comes back with a fresh ticket and
    /// everything typed, to be sent again.
    #[serde(default)]
    pub expired: bool,
}
