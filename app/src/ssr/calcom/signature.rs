//! `X-Cal-Signature-256`: the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with
//! the webhook's secret. Checked in constant time against every configured secret.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// The header Cal.com signs with.
pub const SIGNATURE_HEADER: &str = "x-cal-signature-256";

/// How a delivery's signature turned out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Missing,
    Invalid,
}

/// Checks `header` (the header's value, if any) against `body` for each secret. Only
/// lowercase hex, as Cal.com writes it, can match.
pub fn verify(secrets: &[SecretString], header: Option<&[u8]>, body: &[u8]) -> Verdict {
    let Some(header) = header else {
        return Verdict::Missing;
    };
    let lowercase_hex = header.len() == 64
        && header
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    let Some(signature) = lowercase_hex.then(|| hex::decode(header).ok()).flatten() else {
        return Verdict::Invalid;
    };
    let matches = secrets.iter().any(|secret| {
        <Hmac<Sha256> as Mac>::new_from_slice(secret.expose_secret().as_bytes())
            .map(|mac| mac.chain_update(body).verify_slice(&signature).is_ok())
            .unwrap_or(false)
    });
    if matches {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// The signature Cal.com would send for `body` with `secret` (for tests and the stand-in).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .map(|mac| mac.chain_update(body).finalize().into_bytes());
    mac.map(hex::encode).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(list: &[&str]) -> Vec<SecretString> {
        list.iter().map(|s| SecretString::from(*s)).collect()
    }

    const BODY: &[u8] =
        br#"{"triggerEvent":"PING","createdAt":"2026-10-01T09:00:00.000Z","payload":{}}"#;

    /// Computed outside the project:
    /// `printf '%s' "$BODY" | openssl dgst -sha256 -hmac s3cret` (OpenSSL 3.0).
    const BODY_SIGNED_WITH_S3CRET: &str =
        "83b192f9bcdc151d37c1b7179bd981fb277f1d90e4d2bb026e4cf3bea52a5bbf";

    #[test]
    fn signatures_match_known_answers_computed_elsewhere() {
        assert_eq!(sign("s3cret", BODY), BODY_SIGNED_WITH_S3CRET);
        assert_eq!(
            verify(
                &secrets(&["s3cret"]),
                Some(BODY_SIGNED_WITH_S3CRET.as_bytes()),
                BODY
            ),
            Verdict::Valid
        );
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_signature_made_with_the_secret_is_valid() {
        let signature = sign("s3cret", BODY);
        assert_eq!(signature.len(), 64);
        assert_eq!(
            verify(&secrets(&["s3cret"]), Some(signature.as_bytes()), BODY),
            Verdict::Valid
        );
    }

    #[test]
    fn every_configured_secret_is_accepted() {
        let old = sign("old", BODY);
        let new = sign("new", BODY);
        let both = secrets(&["old", "new"]);
        assert_eq!(verify(&both, Some(old.as_bytes()), BODY), Verdict::Valid);
        assert_eq!(verify(&both, Some(new.as_bytes()), BODY), Verdict::Valid);
        assert_eq!(
            verify(&secrets(&["new"]), Some(old.as_bytes()), BODY),
            Verdict::Invalid
        );
    }

    #[test]
    fn anything_else_is_refused() {
        let good = sign("s3cret", BODY);
        let mut flipped = good.clone().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        let cases: Vec<(Option<Vec<u8>>, Verdict)> = vec![
            (None, Verdict::Missing),
            (Some(flipped), Verdict::Invalid),
            (Some(good.to_uppercase().into_bytes()), Verdict::Invalid),
            (Some(sign("wrong", BODY).into_bytes()), Verdict::Invalid),
            (Some(b"no-secret-provided".to_vec()), Verdict::Invalid),
            (Some(Vec::new()), Verdict::Invalid),
            (
                Some(format!("sha256={good}").into_bytes()),
                Verdict::Invalid,
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(
                verify(&secrets(&["s3cret"]), header.as_deref(), BODY),
                expected
            );
        }
    }

    #[test]
    fn the_signature_covers_every_byte() {
        let signature = sign("s3cret", BODY);
        let mut altered = BODY.to_vec();
        altered.push(b' ');
        assert_eq!(
            verify(&secrets(&["s3cret"]), Some(signature.as_bytes()), &altered),
            Verdict::Invalid
        );
        let empty = sign("s3cret", b"");
        assert_eq!(
            verify(&secrets(&["s3cret"]), Some(empty.as_bytes()), b""),
            Verdict::Valid
        );
    }
}
