//! Cal.com's bookings API v2 (`2024-08-13`), as the reconciler reads it: one page of
//! `GET /v2/bookings` at a time, each call with a timeout, the key as a bearer token, and the
//! rate limit's reset (there is no `Retry-After`) reported so the caller can wait it out.

pub mod booking;

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::domain::reconcile::ApiBooking;

/// The API version every call names; an unknown or missing one silently gets other shapes.
pub const API_VERSION: &str = "2024-08-13";
/// The largest page Cal.com serves.
pub const MAX_PAGE: usize = 250;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Cal.com refused the API key (HTTP {0}); check CAL_API_KEY")]
    KeyRefused(u16),
    #[error("Cal.com's rate limit is reached; it resets in {0:?}")]
    RateLimited(Duration),
    #[error("Cal.com's API did not answer within {0:?}")]
    Timeout(Duration),
    #[error("Cal.com's API cannot be reached: {0}")]
    Unreachable(String),
    #[error("Cal.com's API answered HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error("Cal.com's API answered something that cannot be read: {0}")]
    Malformed(String),
}

/// Which bookings to list: bounds as Cal.com's query names them, and the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BookingsQuery {
    pub after_created_at: Option<Timestamp>,
    pub after_updated_at: Option<Timestamp>,
    pub after_start: Option<Timestamp>,
    pub before_end: Option<Timestamp>,
    pub take: usize,
    pub skip: usize,
}

impl BookingsQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(t) = self.after_created_at {
            pairs.push(("afterCreatedAt", t.to_string()));
            pairs.push(("sortCreated", "asc".to_owned()));
        }
        if let Some(t) = self.after_updated_at {
            pairs.push(("afterUpdatedAt", t.to_string()));
            pairs.push(("sortUpdatedAt", "asc".to_owned()));
        }
        if let Some(t) = self.after_start {
            pairs.push(("afterStart", t.to_string()));
        }
        if let Some(t) = self.before_end {
            pairs.push(("beforeEnd", t.to_string()));
        }
        pairs.push(("take", self.take.clamp(1, MAX_PAGE).to_string()));
        pairs.push(("skip", self.skip.to_string()));
        pairs
    }
}

/// A booking as read, with the JSON it was read from.
#[derive(Clone, Debug)]
pub struct Listed {
    pub booking: ApiBooking,
    pub json: Value,
}

/// One page: the bookings that read, and the items that did not (with why).
#[derive(Debug, Default)]
pub struct BookingsPage {
    pub bookings: Vec<Listed>,
    pub unreadable: Vec<String>,
    /// Items on the page, read or not: a page shorter than asked is the last.
    pub items: usize,
}

/// A client of one Cal.com account's bookings.
#[derive(Clone, Debug)]
pub struct BookingsApi {
    client: reqwest::Client,
    base_url: String,
    key: SecretString,
    timeout: Duration,
}

impl BookingsApi {
    pub fn new(base_url: &str, key: SecretString, timeout: Duration) -> Result<Self, ApiError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| ApiError::Unreachable(e.to_string()))?;
        Ok(BookingsApi {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
            key,
            timeout,
        })
    }

    /// One page of `GET /v2/bookings`.
    pub async fn page(&self, query: &BookingsQuery) -> Result<BookingsPage, ApiError> {
        let response = self
            .client
            .get(format!("{}/bookings", self.base_url))
            .bearer_auth(self.key.expose_secret())
            .header("cal-api-version", API_VERSION)
            .query(&query.pairs())
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let reset = rate_limit_reset(response.headers());
        let body: Value = response.json().await.map_err(|e| {
            if e.is_timeout() {
                ApiError::Timeout(self.timeout)
            } else {
                ApiError::Malformed(e.to_string())
            }
        })?;
        match status {
            200 => read_page(&body),
            401 | 403 => Err(ApiError::KeyRefused(status)),
            429 => Err(ApiError::RateLimited(reset)),
            _ => Err(ApiError::Status {
                status,
                message: body["error"]["message"]
                    .as_str()
                    .unwrap_or("no message")
                    .to_owned(),
            }),
        }
    }

    fn transport(&self, error: reqwest::Error) -> ApiError {
        if error.is_timeout() {
            ApiError::Timeout(self.timeout)
        } else {
            ApiError::Unreachable(error.to_string())
        }
    }
}

/// `X-RateLimit-Reset-Default`: seconds until the key may call again (a minute if absent).
fn rate_limit_reset(headers: &reqwest::header::HeaderMap) -> Duration {
    headers
        .get("x-ratelimit-reset-default")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.clamp(1.0, 120.0)))
        .unwrap_or(Duration::from_secs(60))
}

fn read_page(body: &Value) -> Result<BookingsPage, ApiError> {
    if body["status"] != "success" {
        return Err(ApiError::Malformed(format!("status is {}", body["status"])));
    }
    let items = body["data"]
        .as_array()
        .ok_or_else(|| ApiError::Malformed("`data` is not a list".to_owned()))?;
    let mut page = BookingsPage {
        items: items.len(),
        ..BookingsPage::default()
    };
    for item in items {
        match booking::parse_booking(item) {
            Ok(booking) => page.bookings.push(Listed {
                booking,
                json: item.clone(),
            }),
            Err(why) => page.unreadable.push(why),
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_cal_coms_parameters_and_bounds_the_page() {
        let query = BookingsQuery {
            after_updated_at: Some("2026-09-01T00:00:00Z".parse().expect("t")),
            take: 1000,
            skip: 500,
            ..BookingsQuery::default()
        };
        let pairs = query.pairs();
        assert!(pairs.contains(&("afterUpdatedAt", "2026-09-01T00:00:00Z".to_owned())));
        assert!(pairs.contains(&("sortUpdatedAt", "asc".to_owned())));
        assert!(pairs.contains(&("take", "250".to_owned())));
        assert!(pairs.contains(&("skip", "500".to_owned())));
    }

    #[test]
    fn the_reset_header_sets_the_wait() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(rate_limit_reset(&headers), Duration::from_secs(60));
        headers.insert("x-ratelimit-reset-default", "12".parse().expect("h"));
        assert_eq!(rate_limit_reset(&headers), Duration::from_secs(12));
        headers.insert("x-ratelimit-reset-default", "0".parse().expect("h"));
        assert_eq!(rate_limit_reset(&headers), Duration::from_secs(1));
    }

    #[test]
    fn a_page_keeps_what_reads_and_says_what_does_not() {
        let body = serde_json::json!({"status": "success", "data": [
            {"uid": "a", "status": "accepted", "start": "2026-10-01T09:00:00.000Z",
             "end": "2026-10-01T09:30:00.000Z", "createdAt": "2026-09-28T14:02:11.000Z"},
            {"uid": "b"}
        ], "pagination": {"hasNextPage": false}});
        let page = read_page(&body).expect("a page");
        assert_eq!(
            (page.items, page.bookings.len(), page.unreadable.len()),
            (2, 1, 1)
        );
        let refused = read_page(&serde_json::json!({"status": "error"}));
        assert!(matches!(refused, Err(ApiError::Malformed(_))));
    }
}
