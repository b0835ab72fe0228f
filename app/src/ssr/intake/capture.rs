//! Reading attribution off the request that shows the form.

use http::{header, request::Parts};

use crate::domain::attribution::Attribution;

/// Attribution for a form shown by this request. A page request is the landing itself; a
/// server-function request (the browser fetching a fresh form while navigating inside the
/// app) is described by its `Referer`, the app page the person is on.
pub fn attribution_from(parts: &Parts) -> Attribution {
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok());
    if parts.uri.path().starts_with("/api/") {
        let landing = referer.and_then(|r| url::Url::parse(r).ok());
        return match landing {
            Some(url) => Attribution {
                landing_path: Some(path_and_query(&url)),
                ..utm_from(url.query())
            }
            .cleaned(),
            None => Attribution::default(),
        };
    }
    Attribution {
        referrer: referer.map(str::to_owned),
        landing_path: parts.uri.path_and_query().map(|pq| pq.as_str().to_owned()),
        ..utm_from(parts.uri.query())
    }
    .cleaned()
}

/// The host a referrer URL names, when it is an absolute http(s) URL.
pub fn referrer_host(referrer: &str) -> Option<String> {
    let url = url::Url::parse(referrer).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.host_str().map(str::to_owned))
        .flatten()
}

/// This site's host as the request names it (without the port).
pub fn own_host(headers: &http::HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let url = url::Url::parse(&format!("http://{host}")).ok()?;
    url.host_str().map(str::to_owned)
}

fn path_and_query(url: &url::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

fn utm_from(query: Option<&str>) -> Attribution {
    let mut attribution = Attribution::default();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match key.as_ref() {
            "utm_source" => &mut attribution.utm_source,
            "utm_medium" => &mut attribution.utm_medium,
            "utm_campaign" => &mut attribution.utm_campaign,
            _ => continue,
        };
        slot.get_or_insert_with(|| value.into_owned());
    }
    attribution
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, referer: Option<&str>) -> Parts {
        let mut request = http::Request::builder().uri(uri);
        if let Some(referer) = referer {
            request = request.header(header::REFERER, referer);
        }
        request.body(()).expect("request").into_parts().0
    }

    #[test]
    fn a_landing_page_request_is_the_landing() {
        let found = attribution_from(&parts(
            "/?utm_source=Newsletter&utm_medium=email&utm_campaign=spring%20sale",
            Some("https://www.google.com/search?q=roof"),
        ));
        assert_eq!(
            found,
            Attribution {
                utm_source: Some("Newsletter".into()),
                utm_medium: Some("email".into()),
                utm_campaign: Some("spring sale".into()),
                referrer: Some("https://www.google.com/search?q=roof".into()),
                landing_path: Some(
                    "/?utm_source=Newsletter&utm_medium=email&utm_campaign=spring%20sale".into()
                ),
            }
        );
    }

    #[test]
    fn a_server_function_request_is_described_by_its_referer() {
        let found = attribution_from(&parts(
            "/api/intake/form",
            Some("http://127.0.0.1:3000/?utm_source=ads"),
        ));
        assert_eq!(found.utm_source.as_deref(), Some("ads"));
        assert_eq!(found.landing_path.as_deref(), Some("/?utm_source=ads"));
        assert_eq!(found.referrer, None);
    }

    #[test]
    fn hosts_are_read_from_urls_and_the_host_header() {
        assert_eq!(
            referrer_host("https://www.google.com/x").as_deref(),
            Some("www.google.com")
        );
        assert_eq!(referrer_host("android-app://com.example"), None);
        assert_eq!(referrer_host("not a url"), None);
        let mut headers = http::HeaderMap::new();
        headers.insert(header::HOST, "acme.test:3000".parse().expect("host"));
        assert_eq!(own_host(&headers).as_deref(), Some("acme.test"));
    }
}
