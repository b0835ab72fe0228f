//! How every server function answers: its error sets the response's HTTP status (the one the
//! error knows), and owner functions first check the session. Server functions call
//! [`respond`] or [`as_owner`] and never set a status themselves.

use std::future::Future;

use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::{
    error::AppError,
    ssr::{
        auth::{self, Owner},
        error::ServerError,
        state::AppState,
    },
};

/// Runs a server function's body; an error sets the response status it stands for.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        set_status(error);
    }
    result
}

/// Runs an owner server function's body with the app and the signed-in owner; without a
/// valid session it answers `Unauthenticated` (401) and the body does not run.
pub async fn as_owner<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Owner) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(async move {
        let app = app_state()?;
        let parts = request_parts()?;
        let owner = auth::owner_of(&app, &parts.headers)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        body(app, owner).await
    })
    .await
}

/// The application state every server function is called with.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| ServerError::MissingContext("AppState").into())
}

/// The request being answered.
pub fn request_parts() -> Result<http::request::Parts, AppError> {
    use_context::<http::request::Parts>()
        .ok_or_else(|| ServerError::MissingContext("request parts").into())
}

fn set_status(error: &AppError) {
    if is_plain_form_post() {
        return;
    }
    let status = http::StatusCode::from_u16(error.status_code())
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
}

/// A form a browser posted without JavaScript: its error goes back to the page it came from
/// (a redirect with the error in the query, which the page shows), and a status of our own
/// would replace that redirect. A page rendering on the server, or a call from the hydrated
/// app, gets the error's status.
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.uri.path().starts_with("/api/")
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Adds `Retry-After` (in seconds) to the response.
pub fn set_retry_after(seconds: u64) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
}
