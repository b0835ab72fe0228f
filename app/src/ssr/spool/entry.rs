//! One spooled delivery as it sits in its file: a short text header (format version, when it
//! was received, how many body bytes follow and their SHA-256), a blank line, then the body's
//! bytes exactly as they arrived. The length and digest let a reader refuse a file that was
//! cut short or damaged instead of applying half a delivery.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

const MAGIC: &str = "handoff-spool 1";

/// A verified delivery waiting for the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpooledDelivery {
    pub received_at: Timestamp,
    pub body: Vec<u8>,
}

/// Why a spool file cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DamagedEntry {
    #[error("not a spool entry (no `{MAGIC}` header)")]
    NotAnEntry,
    #[error("the header line {0:?} cannot be read")]
    Header(String),
    #[error("the body is {found} bytes, the header says {expected}")]
    Length { expected: usize, found: usize },
    #[error("the body's SHA-256 does not match the header's")]
    Digest,
}

/// The file's bytes for `delivery`.
pub fn encode(delivery: &SpooledDelivery) -> Vec<u8> {
    let header = format!(
        "{MAGIC}\nreceived_at {}\nbytes {}\nsha256 {}\n\n",
        delivery.received_at,
        delivery.body.len(),
        hex::encode(Sha256::digest(&delivery.body)),
    );
    let mut bytes = Vec::with_capacity(header.len() + delivery.body.len());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&delivery.body);
    bytes
}

/// Reads a file written by [`encode`], checking that the body is whole.
pub fn decode(bytes: &[u8]) -> Result<SpooledDelivery, DamagedEntry> {
    let split = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .ok_or(DamagedEntry::NotAnEntry)?;
    let header = std::str::from_utf8(&bytes[..split]).map_err(|_| DamagedEntry::NotAnEntry)?;
    let body = &bytes[split + 2..];
    let mut lines = header.lines();
    if lines.next() != Some(MAGIC) {
        return Err(DamagedEntry::NotAnEntry);
    }
    let mut field = |name: &str| -> Result<String, DamagedEntry> {
        let line = lines.next().unwrap_or_default();
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(str::to_owned)
            .ok_or_else(|| DamagedEntry::Header(line.to_owned()))
    };
    let received_at_text = field("received_at")?;
    let received_at: Timestamp = received_at_text
        .parse()
        .map_err(|_| DamagedEntry::Header(received_at_text.clone()))?;
    let length_text = field("bytes")?;
    let expected: usize = length_text
        .parse()
        .map_err(|_| DamagedEntry::Header(length_text.clone()))?;
    let digest = field("sha256")?;
    if body.len() != expected {
        return Err(DamagedEntry::Length {
            expected,
            found: body.len(),
        });
    }
    if hex::encode(Sha256::digest(body)) != digest {
        return Err(DamagedEntry::Digest);
    }
    Ok(SpooledDelivery {
        received_at,
        body: body.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(body: &[u8]) -> SpooledDelivery {
        SpooledDelivery {
            received_at: "2026-03-29T01:30:00.123456789Z".parse().expect("a time"),
            body: body.to_vec(),
        }
    }

    #[test]
    fn an_entry_reads_back_byte_for_byte() {
        for body in [&b""[..], b"{\"a\":1}", b"\n\n\xff\x00 binary \r\n"] {
            let original = delivery(body);
            assert_eq!(decode(&encode(&original)), Ok(original));
        }
    }

    #[test]
    fn a_file_cut_short_is_refused_at_every_length() {
        let bytes = encode(&delivery(b"{\"triggerEvent\":\"BOOKING_CREATED\"}"));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut} was accepted");
        }
    }

    #[test]
    fn a_changed_body_byte_is_refused() {
        let mut bytes = encode(&delivery(b"{\"a\":1}"));
        let last = bytes.len() - 2;
        bytes[last] = b'2';
        assert_eq!(decode(&bytes), Err(DamagedEntry::Digest));
    }

    #[test]
    fn other_files_are_not_entries() {
        assert_eq!(decode(b"hello\n\nworld"), Err(DamagedEntry::NotAnEntry));
        assert_eq!(
            decode(b"handoff-spool 1\nreceived_at yesterday\nbytes 0\nsha256 x\n\n"),
            Err(DamagedEntry::Header("yesterday".into()))
        );
    }
}
