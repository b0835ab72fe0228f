//! The visitor's address, for rate limiting: the peer address, or, behind trusted reverse
//! proxies, the address the outermost trusted proxy saw. Entries a client added to
//! `X-Forwarded-For` itself are never believed.

use std::{
    net::{IpAddr, SocketAddr},
    sync::atomic::{AtomicBool, Ordering},
};

use http::HeaderMap;

/// The client's address given `trusted_hops` proxies in front of the server, each appending
/// the address it received the request from.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted_hops: usize) -> IpAddr {
    if trusted_hops == 0 {
        warn_once_if_forwarded(headers);
        return peer.ip();
    }
    // Every entry keeps its place, readable or not, so an entry a proxy wrote in a form we
    // cannot read does not shift the count onto one the client wrote.
    let forwarded: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(forwarded_entry)
        .collect();
    // The last `trusted_hops` entries were written by our proxies; the one they recorded
    // first is the client as the outermost proxy saw it.
    forwarded
        .len()
        .checked_sub(trusted_hops)
        .and_then(|i| forwarded.get(i).copied().flatten())
        .unwrap_or(peer.ip())
        .to_canonical()
}

/// One `X-Forwarded-For` entry: `ip`, `ip:port`, `[v6]` or `[v6]:port`.
fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|v6| v6.parse().ok())
        })
}

static FORWARDED_SEEN: AtomicBool = AtomicBool::new(false);

/// With no trusted proxy configured, a forwarded request means a proxy is probably in front
/// and every visitor counts as the proxy's one address: said once per process.
fn warn_once_if_forwarded(headers: &HeaderMap) {
    if headers.contains_key("x-forwarded-for") && first_forwarded_request(&FORWARDED_SEEN) {
        tracing::warn!(
            "a request carries X-Forwarded-For but TRUSTED_PROXY_HOPS is 0: if a reverse proxy \
             is in front of this server, every visitor counts as its one address for rate \
             limits; set TRUSTED_PROXY_HOPS to the number of proxies"
        );
    }
}

/// `true` the first time only.
fn first_forwarded_request(seen: &AtomicBool) -> bool {
    !seen.swap(true, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().expect("header"));
        headers
    }

    fn peer() -> SocketAddr {
        "10.0.0.9:5555".parse().expect("addr")
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        assert_eq!(client_ip(peer(), &headers("1.2.3.4"), 0), ip("10.0.0.9"));
    }

    #[test]
    fn behind_one_proxy_the_last_entry_is_the_client() {
        assert_eq!(
            client_ip(peer(), &headers("6.6.6.6, 1.2.3.4"), 1),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn behind_two_proxies_the_second_to_last_entry_is_the_client() {
        let ip_seen = client_ip(peer(), &headers("6.6.6.6, 1.2.3.4, 172.16.0.2"), 2);
        assert_eq!(ip_seen, ip("1.2.3.4"));
    }

    #[test]
    fn too_few_entries_fall_back_to_the_peer() {
        assert_eq!(client_ip(peer(), &HeaderMap::new(), 1), peer().ip());
    }

    #[test]
    fn entries_with_ports_are_read_not_skipped() {
        // Were the proxy's `ip:port` entry skipped, the client's own 6.6.6.6 would be taken.
        let cases = [
            ("6.6.6.6, 1.2.3.4:61000", "1.2.3.4"),
            ("6.6.6.6, [2001:db8::7]:443", "2001:db8::7"),
            ("6.6.6.6, [2001:db8::8]", "2001:db8::8"),
            ("6.6.6.6, ::ffff:1.2.3.4", "1.2.3.4"),
        ];
        for (xff, client) in cases {
            assert_eq!(client_ip(peer(), &headers(xff), 1), ip(client), "{xff}");
        }
    }

    #[test]
    fn an_unreadable_entry_in_the_proxys_place_counts_as_the_peer() {
        assert_eq!(
            client_ip(peer(), &headers("6.6.6.6, unknown"), 1),
            peer().ip()
        );
        assert_eq!(
            client_ip(peer(), &headers("garbage, 1.2.3.4"), 1),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn the_missing_proxy_setting_is_reported_once() {
        let seen = AtomicBool::new(false);
        assert!(first_forwarded_request(&seen));
        assert!(!first_forwarded_request(&seen));
        assert!(!first_forwarded_request(&seen));
    }
}
