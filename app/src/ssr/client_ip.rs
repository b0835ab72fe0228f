//! The visitor's address, for rate limiting: the peer address, or, behind trusted reverse
//! proxies, the address the outermost trusted proxy saw. Entries a client added to
//! `X-Forwarded-For` itself are never believed.

use std::net::{IpAddr, SocketAddr};

use http::HeaderMap;
use sha2::{Digest, Sha256};

/// The client's address given `trusted_hops` proxies in front of the server, each appending
/// the address it received the request from.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted_hops: usize) -> IpAddr {
    if trusted_hops == 0 {
        return peer.ip();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|entry| entry.trim().parse().ok())
        .collect();
    // The last `trusted_hops` entries were written by our proxies; the one they recorded
    // first is the client as the outermost proxy saw it.
    forwarded
        .len()
        .checked_sub(trusted_hops)
        .and_then(|i| forwarded.get(i))
        .copied()
        .unwrap_or(peer.ip())
}

/// A rate-limit key for an address that stores no address: a hash, and for IPv6 the /64
/// network (one household or server gets one /64, and rotating inside it is free).
pub fn rate_limit_key(scope: &str, ip: IpAddr) -> String {
    let network = match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets()[..8].to_vec(),
    };
    let digest = Sha256::new()
        .chain_update(scope.as_bytes())
        .chain_update(b"|")
        .chain_update(&network)
        .finalize();
    format!("{scope}:{}", hex::encode(&digest[..16]))
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

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let ip = client_ip(peer(), &headers("1.2.3.4"), 0);
        assert_eq!(ip, "10.0.0.9".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn behind_one_proxy_the_last_entry_is_the_client() {
        let ip = client_ip(peer(), &headers("6.6.6.6, 1.2.3.4"), 1);
        assert_eq!(ip, "1.2.3.4".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn behind_two_proxies_the_second_to_last_entry_is_the_client() {
        let ip = client_ip(peer(), &headers("6.6.6.6, 1.2.3.4, 172.16.0.2"), 2);
        assert_eq!(ip, "1.2.3.4".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn too_few_entries_fall_back_to_the_peer() {
        let ip = client_ip(peer(), &HeaderMap::new(), 1);
        assert_eq!(ip, peer().ip());
    }

    #[test]
    fn keys_hash_the_address_and_group_ipv6_by_network() {
        let a = rate_limit_key("intake", "2001:db8:1:2::1".parse().expect("ip"));
        let b = rate_limit_key("intake", "2001:db8:1:2:ffff::9".parse().expect("ip"));
        let c = rate_limit_key("intake", "2001:db8:1:3::1".parse().expect("ip"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(!rate_limit_key("intake", "1.2.3.4".parse().expect("ip")).contains("1.2.3.4"));
    }
}
