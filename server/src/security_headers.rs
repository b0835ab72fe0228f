//! Security headers on every response: a Content-Security-Policy with a fresh nonce per
//! response (the same nonce Leptos stamps on its hydration script), and the usual hardening
//! headers. HTML that carries a nonce is never cached.

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

/// The policy for the app's pages: everything from our own origin; scripts only with the
/// response's nonce or from our origin, and wasm compilation; no plugins, no framing.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         connect-src 'self'; \
         object-src 'none'; \
         base-uri 'self'; \
         form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Axum middleware: mints the nonce, hands it to the request (see [`provide_request_nonce`])
/// and sets the headers on the way out.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    let policy = HeaderValue::from_str(&content_security_policy(&nonce));
    request.extensions_mut().insert(nonce);

    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Leptos context hook: replaces the nonce leptos_axum made for this render with the one in
/// the response's policy header, so the hydration script is allowed to run.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(parts) = use_context::<http::request::Parts>() {
        if let Some(nonce) = parts.extensions.get::<Nonce>() {
            provide_context(nonce.clone());
        }
    }
}
