//! The one error type that crosses the wire, from server functions and from the plain JSON
//! routes alike. It carries what a person or a client can act on (field messages, "not
//! found", a reason) and nothing of the server's internals, which go to the log instead.
//!
//! On the wire every error is one JSON object:
//! `{"error": "<code>", "message": "<a sentence>", "detail": <text or field list>}`, where
//! `error` is a stable code, `message` is for people, and `detail` appears only when there is
//! more to say (the field messages of a validation error, the reason of a bad request).

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::domain::intake::{Field, FieldError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "Problem", try_from = "Problem")]
pub enum AppError {
    /// The input broke a rule; one message per field.
    #[error("some fields need attention")]
    Validation(Vec<FieldError>),
    /// The request asked for something malformed; the text says what.
    #[error("{0}")]
    BadRequest(String),
    /// A body this endpoint cannot read at all (not the JSON it takes); the text says why.
    #[error("{0}")]
    Malformed(String),
    /// Only a signed-in owner may do this.
    #[error("sign in to continue")]
    Unauthenticated,
    /// The email and password do not match an owner (which of the two is not said).
    #[error("that email and password do not match")]
    SignInRefused,
    /// A signed delivery whose signature is missing or does not match any configured secret.
    #[error("the signature is missing or does not match")]
    BadSignature,
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (e.g. an item already resolved).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed, but it does not fit what it is applied to; the text says why.
    #[error("{0}")]
    Unprocessable(String),
    /// The intake form was sent after its ticket expired; the text is a fresh ticket for the
    /// same submission id, to send the same values with.
    #[error("the form was open too long; check your details and send it again")]
    FormExpired(String),
    /// The body is larger than this endpoint accepts.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// Too many failed sign-ins for the account from this address, or from this address;
    /// the answer's `Retry-After` says when to try again.
    #[error("too many failed sign-in attempts; try again later")]
    TooManyAttempts,
    /// More requests of this kind than the server takes at once; the text says which.
    #[error("{0}")]
    TooMany(String),
    /// The server cannot take the request right now (its database is unavailable); the same
    /// request may succeed in a moment.
    #[error("the service cannot answer right now; please try again in a moment")]
    Unavailable,
    /// Something failed on the server; the detail is in the server's log.
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The request or its answer could not be carried (offline, malformed arguments).
    #[error("the request could not be completed: {0}")]
    Transport(String),
}

impl AppError {
    /// The stable code clients match on (the `error` field on the wire).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::BadRequest(_) => "bad_request",
            AppError::Malformed(_) => "malformed",
            AppError::Unauthenticated => "unauthenticated",
            AppError::SignInRefused => "sign_in_refused",
            AppError::BadSignature => "bad_signature",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::FormExpired(_) => "form_expired",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::TooManyAttempts => "too_many_attempts",
            AppError::TooMany(_) => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest(_) | AppError::Malformed(_) | AppError::Transport(_) => 400,
            AppError::Unauthenticated | AppError::SignInRefused | AppError::BadSignature => 401,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Unprocessable(_) | AppError::FormExpired(_) => 422,
            AppError::PayloadTooLarge => 413,
            AppError::Validation(_) => 422,
            AppError::TooManyAttempts | AppError::TooMany(_) => 429,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
        }
    }

    /// The message for one field, if the error names it.
    pub fn message_for(&self, field: Field) -> Option<&str> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
    }
}

/// The wire form of an [`AppError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Problem {
    error: String,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<Detail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum Detail {
    Fields(Vec<FieldError>),
    Text(String),
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let (code, message) = (error.code().to_owned(), error.to_string());
        let detail = match error {
            AppError::Validation(fields) => Some(Detail::Fields(fields)),
            AppError::BadRequest(text)
            | AppError::Malformed(text)
            | AppError::Transport(text)
            | AppError::Conflict(text)
            | AppError::Unprocessable(text)
            | AppError::FormExpired(text)
            | AppError::TooMany(text) => Some(Detail::Text(text)),
            _ => None,
        };
        Problem {
            error: code,
            message,
            detail,
        }
    }
}

impl TryFrom<Problem> for AppError {
    type Error = String;

    fn try_from(problem: Problem) -> Result<Self, Self::Error> {
        let text = || match &problem.detail {
            Some(Detail::Text(text)) => text.clone(),
            _ => problem.message.clone(),
        };
        Ok(match problem.error.as_str() {
            "validation" => match &problem.detail {
                Some(Detail::Fields(fields)) => AppError::Validation(fields.clone()),
                _ => AppError::Validation(Vec::new()),
            },
            "bad_request" => AppError::BadRequest(text()),
            "malformed" => AppError::Malformed(text()),
            "unauthenticated" => AppError::Unauthenticated,
            "sign_in_refused" => AppError::SignInRefused,
            "bad_signature" => AppError::BadSignature,
            "not_found" => AppError::NotFound,
            "conflict" => AppError::Conflict(text()),
            "unprocessable" => AppError::Unprocessable(text()),
            "form_expired" => AppError::FormExpired(text()),
            "payload_too_large" => AppError::PayloadTooLarge,
            "too_many_attempts" => AppError::TooManyAttempts,
            "too_many_requests" => AppError::TooMany(text()),
            "unavailable" => AppError::Unavailable,
            "internal" => AppError::Internal,
            "transport" => AppError::Transport(text()),
            other => return Err(format!("unknown error code {other:?}")),
        })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(detail)
            | ServerFnErrorErr::Response(detail)
            | ServerFnErrorErr::Serialization(detail)
            | ServerFnErrorErr::Deserialization(detail)
            | ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::UnsupportedRequestMethod(detail) => AppError::Transport(detail),
            ServerFnErrorErr::Registration(_)
            | ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_) => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<AppError> {
        vec![
            AppError::Validation(vec![FieldError {
                field: Field::Email,
                message: "Enter an email address".into(),
            }]),
            AppError::BadRequest("from is not a date".into()),
            AppError::Malformed("the body is not JSON".into()),
            AppError::Unauthenticated,
            AppError::SignInRefused,
            AppError::BadSignature,
            AppError::NotFound,
            AppError::Conflict("already resolved".into()),
            AppError::Unprocessable("discard does not fit".into()),
            AppError::FormExpired("1764000000000.abc".into()),
            AppError::PayloadTooLarge,
            AppError::TooManyAttempts,
            AppError::TooMany("too many live-update streams are open".into()),
            AppError::Unavailable,
            AppError::Internal,
            AppError::Transport("offline".into()),
        ]
    }

    #[test]
    fn every_error_reads_back_as_it_was_sent() {
        for error in every_kind() {
            let json = serde_json::to_string(&error).unwrap();
            let back: AppError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
        }
    }

    #[test]
    fn the_wire_shape_is_a_code_a_sentence_and_the_detail() {
        let json = serde_json::to_value(AppError::BadRequest("from is not a date".into())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "error": "bad_request",
                "message": "from is not a date",
                "detail": "from is not a date",
            })
        );
        let json = serde_json::to_value(AppError::NotFound).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "error": "not_found", "message": "not found" })
        );
        let json = serde_json::to_value(every_kind().remove(0)).unwrap();
        assert_eq!(json["error"], "validation");
        assert_eq!(json["detail"][0]["field"], "email");
    }

    #[test]
    fn statuses_are_client_errors_except_for_our_own_faults() {
        for error in every_kind() {
            let status = error.status_code();
            let ours = matches!(error, AppError::Internal | AppError::Unavailable);
            assert_eq!(status >= 500, ours, "{error:?} → {status}");
            assert!((400..600).contains(&status));
        }
    }

    #[test]
    fn an_unknown_code_is_refused() {
        let parsed = serde_json::from_str::<AppError>(r#"{"error":"nope","message":"x"}"#);
        assert!(parsed.is_err());
    }
}
