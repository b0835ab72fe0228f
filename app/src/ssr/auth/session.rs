//! The session cookie: a random token the browser keeps (HttpOnly, SameSite=Lax, Secure over
//! https) and whose SHA-256 the database keeps.

use http::{header, HeaderMap};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ssr::settings::Settings;

pub const COOKIE_NAME: &str = "handoff_session";

/// A new random session token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token the request's cookies carry, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Set-Cookie` for a new session lasting `max_age_seconds`.
pub fn set_cookie(token: &str, max_age_seconds: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    )
}

/// Whether the session cookie is marked Secure: always when `PUBLIC_URL` is https, and
/// otherwise when the browser reached us over https (directly, or through a trusted proxy
/// that says so).
pub fn secure_cookie(parts: &http::request::Parts, settings: &Settings) -> bool {
    settings.site.is_https()
        || parts.uri.scheme_str() == Some("https")
        || (settings.intake.trusted_proxy_hops > 0
            && parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    set_cookie("", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn the_token_is_read_back_from_the_cookie_header() {
        let token = new_token();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("theme=dark; {COOKIE_NAME}={token}; x=1")).unwrap(),
        );
        assert_eq!(token_from(&headers), Some(token));
    }

    #[test]
    fn a_malformed_token_is_no_token() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("handoff_session=not-a-token"),
        );
        assert_eq!(token_from(&headers), None);
        assert_eq!(token_from(&HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site() {
        let cookie = set_cookie("abc", 3600, true);
        assert_eq!(
            cookie,
            "handoff_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure"
        );
        assert!(!set_cookie("abc", 3600, false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
