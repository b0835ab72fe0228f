//! Server functions answer their errors with the status the error stands for: their bodies
//! run through `app::ssr::respond`, which sets it. A call whose arguments cannot even be read
//! never reaches the body, and the server-function machinery answers it 500; this middleware
//! reads such an error back and gives it its own status (400 for unreadable arguments).

use app::error::AppError;
use axum::{body::Body, extract::Request, http::StatusCode, middleware::Next, response::Response};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Server-function errors are a few hundred bytes; anything larger is left as it is.
const LARGEST_ERROR: usize = 64 * 1024;

pub async fn status_from_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_ERROR).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
