//! The one error type that crosses the server-function boundary. It carries what a person
//! can act on (field messages, "not found") and nothing of the server's internals, which go
//! to the log instead.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::domain::intake::FieldError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The input broke a rule; one message per field.
    #[error("some fields need attention")]
    Validation(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    /// The request asked for something malformed; the text says what.
    #[error("{0}")]
    BadRequest(String),
    /// Only a signed-in owner may do this.
    #[error("sign in to continue")]
    Unauthenticated,
    /// The email and password do not match an owner (which of the two is not said).
    #[error("that email and password do not match")]
    SignInRefused,
    /// Too many sign-in attempts for the account or from the address; try again later.
    #[error("too many sign-in attempts; try again in an hour")]
    TooManyAttempts,
    /// Something failed on the server; the detail is in the server's log.
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The request or its answer could not be carried (offline, malformed).
    #[error("the request could not be completed: {0}")]
    Transport(String),
}

impl AppError {
    /// The message for one field, if the error names it.
    pub fn message_for(&self, field: crate::domain::intake::Field) -> Option<&str> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
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
