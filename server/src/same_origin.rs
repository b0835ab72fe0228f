//! Refuses cross-site writes to the app's server functions. A browser marks where a request
//! comes from (`Sec-Fetch-Site`, `Origin`); a write from another site is answered 403 before
//! it reaches a handler, whatever cookies it carries. Clients that are not browsers send
//! neither header and carry no owner's cookie, so they pass. The Cal.com webhook is
//! server-to-server and signed, so it is not checked here.

use axum::{
    extract::Request,
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::routes::webhooks;

pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let guarded = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && request.uri().path().starts_with("/api/")
        && request.uri().path() != webhooks::PATH;
    if guarded && !is_same_origin(request.headers()) {
        tracing::info!(path = request.uri().path(), "cross-site write refused");
        return (
            StatusCode::FORBIDDEN,
            "cross-site requests are not accepted",
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether a request comes from our own pages (or from no browser at all).
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn browsers_say_where_a_request_comes_from() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_the_host() {
        assert!(is_same_origin(&headers(&[
            ("origin", "https://leads.example"),
            ("host", "leads.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "leads.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "leads.example")
        ])));
        assert!(is_same_origin(&headers(&[("host", "leads.example")])));
    }
}
