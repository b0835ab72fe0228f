//! API v2's error answer, shaped by Cal.com's `HttpExceptionFilter`, and the rate-limit headers
//! every `/v2` answer carries.

use app::ssr::calcom::payloads::iso_millis;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use jiff::Timestamp;
use serde_json::json;

/// What the throttler's headers say.
#[derive(Clone, Copy, Debug, Default)]
pub struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

impl RateHeaders {
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in [
            ("x-ratelimit-limit-default", u64::from(self.limit)),
            ("x-ratelimit-remaining-default", u64::from(self.remaining)),
            ("x-ratelimit-reset-default", self.reset_secs),
        ] {
            headers.insert(name, HeaderValue::from(value));
        }
    }
}

/// A failed `/v2` request.
#[derive(Debug)]
pub struct V2Error {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Validator messages (400 only).
    errors: Option<Vec<String>>,
}

impl V2Error {
    pub fn bad_request(errors: Vec<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "BadRequestException",
            message: errors.join(", "),
            errors: Some(errors),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UnauthorizedException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFoundException", message)
    }

    pub fn too_many_requests() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlerException",
            "Too many requests. Please try again later.",
        )
    }

    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: None,
        }
    }

    /// The envelope, for the request at `path` (with its query, as Cal.com's `request.url`).
    pub fn respond(self, path: &str) -> Response {
        let mut details = json!({
            "message": self.message,
            "error": self.status.canonical_reason().unwrap_or("Error"),
            "statusCode": self.status.as_u16(),
        });
        if let Some(errors) = self.errors {
            details["errors"] = json!(errors);
        }
        let body = json!({
            "status": "error",
            "timestamp": iso_millis(Timestamp::now()),
            "path": path,
            "error": { "code": self.code, "message": self.message, "details": details },
        });
        (self.status, Json(body)).into_response()
    }
}
