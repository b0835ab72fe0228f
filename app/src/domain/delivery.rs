//! Why a Cal.com webhook delivery was not applied to a lead. A closed set: each reason is
//! counted, stored with the failure and answered to Cal.com under its name.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// No `X-Cal-Signature-256` header.
    MissingSignature,
    /// A signature that matches none of the configured secrets.
    BadSignature,
    /// Verified, but not a webhook body (not JSON, no trigger, a required field missing).
    Malformed,
    /// Verified, with a trigger this receiver does not handle.
    UnknownTrigger,
    /// Verified, naming a submission id that matches no lead.
    UnknownSubmissionId,
    /// Verified, matching no lead, and of a Cal.com event type the form does not book: logged
    /// and counted, but ignored (a booking made outside the form).
    OtherEventType,
}

impl FailureReason {
    pub const ALL: [FailureReason; 6] = [
        FailureReason::MissingSignature,
        FailureReason::BadSignature,
        FailureReason::Malformed,
        FailureReason::UnknownTrigger,
        FailureReason::UnknownSubmissionId,
        FailureReason::OtherEventType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::MissingSignature => "missing_signature",
            FailureReason::BadSignature => "bad_signature",
            FailureReason::Malformed => "malformed",
            FailureReason::UnknownTrigger => "unknown_trigger",
            FailureReason::UnknownSubmissionId => "unknown_submission_id",
            FailureReason::OtherEventType => "other_event_type",
        }
    }

    pub fn parse(text: &str) -> Option<FailureReason> {
        FailureReason::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether the delivery's signature was checked and held (only then is its body trusted).
    pub fn is_verified(self) -> bool {
        !matches!(
            self,
            FailureReason::MissingSignature | FailureReason::BadSignature
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names_round_trip_and_match_their_serde_names() {
        for reason in FailureReason::ALL {
            assert_eq!(FailureReason::parse(reason.as_str()), Some(reason));
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
        assert_eq!(FailureReason::parse("bad-signature"), None);
    }
}
