//! The form ticket: the submission id and the time the form was shown, signed by the server.
//! The signature lets the server measure how long a person took to fill the form with its own
//! clock, and stops a client from inventing submission ids or render times. After a key
//! rotation the previous key still verifies (for a grace period the loader decides), so forms
//! shown before the rotation can still be sent.

use std::sync::RwLock;

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// The keys tickets are signed and checked with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TicketKeys {
    /// Signs new tickets, and verifies.
    pub current: [u8; 32],
    /// The key before the last rotation, while its grace period lasts: verifies only.
    pub previous: Option<[u8; 32]>,
}

/// Signs and checks form tickets with keys shared by every server process.
pub struct TicketSigner {
    keys: RwLock<TicketKeys>,
}

impl std::fmt::Debug for TicketSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketSigner(<keys redacted>)")
    }
}

fn mac(key: &[u8; 32], submission_id: &Uuid, rendered_at_ms: i64) -> HmacSha256 {
    // An HMAC key of any length is valid, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(b"intake-ticket|");
    mac.update(submission_id.as_hyphenated().to_string().as_bytes());
    mac.update(b"|");
    mac.update(rendered_at_ms.to_string().as_bytes());
    mac
}

impl TicketSigner {
    /// A signer with one key and none rotated out.
    pub fn new(key: [u8; 32]) -> Self {
        TicketSigner::with_keys(TicketKeys {
            current: key,
            previous: None,
        })
    }

    pub fn with_keys(keys: TicketKeys) -> Self {
        TicketSigner {
            keys: RwLock::new(keys),
        }
    }

    /// Takes up keys read again from the database (after a rotation, or a grace period's end).
    pub fn replace(&self, keys: TicketKeys) {
        *self
            .keys
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = keys;
    }

    fn keys(&self) -> TicketKeys {
        *self
            .keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A token for a form shown at `rendered_at`: `<milliseconds>.<hex signature>`.
    pub fn issue(&self, submission_id: &Uuid, rendered_at: Timestamp) -> String {
        let ms = rendered_at.as_millisecond();
        let key = self.keys().current;
        let signature = hex::encode(mac(&key, submission_id, ms).finalize().into_bytes());
        format!("{ms}.{signature}")
    }

    /// The render time the token vouches for, when it was issued by the current or the
    /// previous key for this submission id; `None` for anything forged, altered or malformed.
    /// Constant-time per key.
    pub fn verify(&self, submission_id: &Uuid, token: &str) -> Option<Timestamp> {
        let (ms, signature) = token.split_once('.')?;
        let ms: i64 = ms.parse().ok()?;
        let signature = hex::decode(signature).ok()?;
        let keys = self.keys();
        let signed_by =
            |key: &[u8; 32]| mac(key, submission_id, ms).verify_slice(&signature).is_ok();
        if !(signed_by(&keys.current) || keys.previous.as_ref().is_some_and(signed_by)) {
            return None;
        }
        Timestamp::from_millisecond(ms).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> TicketSigner {
        TicketSigner::new([7; 32])
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn a_ticket_verifies_to_its_render_time() {
        let id = Uuid::new_v4();
        let shown = at("2026-11-24T10:00:00.123Z");
        let token = signer().issue(&id, shown);
        assert_eq!(signer().verify(&id, &token), Some(shown));
    }

    #[test]
    fn a_ticket_is_bound_to_its_submission_id_and_key() {
        let id = Uuid::new_v4();
        let token = signer().issue(&id, at("2026-11-24T10:00:00Z"));
        assert_eq!(signer().verify(&Uuid::new_v4(), &token), None);
        assert_eq!(TicketSigner::new([8; 32]).verify(&id, &token), None);
    }

    #[test]
    fn after_a_rotation_the_previous_key_verifies_until_it_is_dropped() {
        let id = Uuid::new_v4();
        let signer = signer();
        let before = signer.issue(&id, at("2026-11-24T10:00:00Z"));
        signer.replace(TicketKeys {
            current: [9; 32],
            previous: Some([7; 32]),
        });
        let after = signer.issue(&id, at("2026-11-24T10:00:00Z"));
        assert_ne!(before, after, "new tickets use the new key");
        assert!(signer.verify(&id, &before).is_some());
        assert!(signer.verify(&id, &after).is_some());
        signer.replace(TicketKeys {
            current: [9; 32],
            previous: None,
        });
        assert_eq!(signer.verify(&id, &before), None);
        assert!(signer.verify(&id, &after).is_some());
    }

    #[test]
    fn an_altered_or_malformed_ticket_is_refused() {
        let id = Uuid::new_v4();
        let token = signer().issue(&id, at("2026-11-24T10:00:00Z"));
        let (ms, signature) = token.split_once('.').expect("two parts");
        let earlier = format!("{}.{signature}", ms.parse::<i64>().expect("ms") - 60_000);
        for bad in [
            earlier.as_str(),
            "",
            ".",
            "abc.def",
            &token[..token.len() - 2],
            &format!("{ms}.{}", "0".repeat(64)),
        ] {
            assert_eq!(signer().verify(&id, bad), None, "{bad:?}");
        }
    }
}
