//! Rate-limit keys that store no address and no email: an HMAC under a key kept in the
//! database (so a leaked table cannot be reversed by hashing every IPv4 address), of fixed
//! length whatever the input. IPv6 addresses count per /64 network: one household or server
//! gets a /64, and moving inside it is free.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Makes rate-limit keys with one secret key shared by every server process.
#[derive(Clone)]
pub struct LimitKeys {
    key: [u8; 32],
}

impl std::fmt::Debug for LimitKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LimitKeys(<key redacted>)")
    }
}

/// The part of an address a limit counts by.
fn network(ip: IpAddr) -> Vec<u8> {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets()[..8].to_vec(),
    }
}

impl LimitKeys {
    pub fn new(key: [u8; 32]) -> Self {
        LimitKeys { key }
    }

    fn key(&self, scope: &str, parts: &[&[u8]]) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(scope.as_bytes());
        for part in parts {
            // Length-prefixed, so no two different inputs run together into one key.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        format!(
            "{scope}:{}",
            hex::encode(&mac.finalize().into_bytes()[..16])
        )
    }

    /// The key of a client address (its /64 for IPv6) in `scope`.
    pub fn address(&self, scope: &str, ip: IpAddr) -> String {
        self.key(scope, &[&network(ip)])
    }

    /// The key of an account (e.g. a normalised email) in `scope`.
    pub fn account(&self, scope: &str, account: &str) -> String {
        self.key(scope, &[account.as_bytes()])
    }

    /// The key of an account tried from an address in `scope`.
    pub fn account_from(&self, scope: &str, account: &str, ip: IpAddr) -> String {
        self.key(scope, &[account.as_bytes(), &network(ip)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> LimitKeys {
        LimitKeys::new([3; 32])
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn ipv6_counts_per_network_and_ipv4_per_address() {
        let a = keys().address("intake", ip("2001:db8:1:2::1"));
        assert_eq!(a, keys().address("intake", ip("2001:db8:1:2:ffff::9")));
        assert_ne!(a, keys().address("intake", ip("2001:db8:1:3::1")));
        assert_ne!(
            keys().address("intake", ip("1.2.3.4")),
            keys().address("intake", ip("1.2.3.5"))
        );
        assert_eq!(
            keys().address("intake", ip("::ffff:1.2.3.4")),
            keys().address("intake", ip("1.2.3.4"))
        );
    }

    #[test]
    fn keys_hold_no_address_and_depend_on_the_secret() {
        let key = keys().address("intake", ip("1.2.3.4"));
        assert!(!key.contains("1.2.3.4"));
        assert_ne!(
            key,
            LimitKeys::new([4; 32]).address("intake", ip("1.2.3.4"))
        );
        assert_ne!(key, keys().address("signin", ip("1.2.3.4")));
    }

    #[test]
    fn keys_are_bounded_whatever_the_input() {
        let long = "x".repeat(100_000);
        assert_eq!(
            keys().account("signin:account", &long).len(),
            "signin:account:".len() + 32
        );
        assert_ne!(
            keys().account_from("p", "ab", ip("1.2.3.4")),
            keys().account_from("p", "a", ip("1.2.3.4"))
        );
    }
}
