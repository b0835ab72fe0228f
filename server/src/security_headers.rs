//! Security headers on every response: a Content-Security-Policy with a fresh nonce per
//! response (the same nonce Leptos stamps on its hydration script), and the usual hardening
//! headers: `Permissions-Policy` turning off the device features no page uses, and, when the
//! site's public URL is https, `Strict-Transport-Security`. HTML that carries a nonce is never
//! cached.
//!
//! Every page gets the strict policy. The booking page, and only it, asks (by a response
//! header the page sets and this middleware removes) for what the Cal.com embed needs on top:
//! its script origin, frames from the booker origins, and inline styles for the `<style>`
//! elements the embed script injects.

use std::sync::Arc;

use app::ssr::{
    booking_page::{CSP_PROFILE_BOOKING, CSP_PROFILE_HEADER},
    settings::{CalSettings, SiteSettings},
};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

/// The policies, built once from the configuration.
#[derive(Clone, Debug)]
pub struct Policies {
    /// Origin of the embed script, allowed as a script source on the booking page.
    embed_script_origin: String,
    /// Booker origins, allowed as frame sources on the booking page.
    frame_origins: String,
    /// Browsers are told to come back over https only.
    https_only: bool,
}

/// Device features no page of ours (nor the booker it embeds) uses.
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), usb=(), serial=(), \
     hid=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), \
     browsing-topics=()";

/// Two years, the figure browsers' preload lists ask for.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000";

impl Policies {
    pub fn new(cal: &CalSettings, site: &SiteSettings) -> Arc<Self> {
        Arc::new(Policies {
            embed_script_origin: cal.embed_script_origin().to_owned(),
            frame_origins: cal.frame_origins().join(" "),
            https_only: site.is_https(),
        })
    }

    /// Every page: everything from our own origin; scripts only with the response's nonce
    /// or from our origin, and wasm compilation; no plugins, no framing.
    pub fn page(&self, nonce: &str) -> String {
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

    /// The booking page: the page policy plus the embed's script, frames and inline styles.
    pub fn booking_page(&self, nonce: &str) -> String {
        format!(
            "default-src 'self'; \
             script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {script}; \
             frame-src {frames}; \
             style-src 'self' 'unsafe-inline'; \
             connect-src 'self'; \
             object-src 'none'; \
             base-uri 'self'; \
             form-action 'self'; \
             frame-ancestors 'none'",
            script = self.embed_script_origin,
            frames = self.frame_origins,
        )
    }
}

/// Axum middleware: mints the nonce, hands it to the request (see [`provide_request_nonce`])
/// and sets the headers on the way out.
pub async fn security_headers(
    State(policies): State<Arc<Policies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());

    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let profile = headers.remove(CSP_PROFILE_HEADER);
    let policy = if profile.as_ref().is_some_and(|p| p == CSP_PROFILE_BOOKING) {
        policies.booking_page(&nonce)
    } else {
        policies.page(&nonce)
    };
    if let Ok(policy) = HeaderValue::from_str(&policy) {
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
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if policies.https_only {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn policies() -> Arc<Policies> {
        Policies::new(
            &CalSettings {
                link: "acme/intro".into(),
                origins: vec!["https://cal.com".into()],
                embed_script_url: "https://app.cal.com/embed/embed.js".into(),
                event_types: Vec::new(),
            },
            &SiteSettings::default(),
        )
    }

    #[test]
    fn pages_allow_no_embed() {
        let policy = policies().page("n0nce");
        assert!(policy.contains("script-src 'self' 'nonce-n0nce' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("cal.com"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("'unsafe-eval'"));
    }

    #[test]
    fn the_booking_page_adds_exactly_the_embeds_needs() {
        let policy = policies().booking_page("n0nce");
        assert!(policy
            .contains("script-src 'self' 'nonce-n0nce' 'wasm-unsafe-eval' https://app.cal.com;"));
        assert!(policy.contains("frame-src https://cal.com https://app.cal.com;"));
        assert!(policy.contains("style-src 'self' 'unsafe-inline';"));
        assert!(policy.contains("connect-src 'self';"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("'unsafe-eval'"));
    }
}
