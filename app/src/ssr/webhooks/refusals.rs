//! Deliveries refused for a missing or wrong signature. Anyone on the internet can send them,
//! so they cost no database write: they are counted per reason and hour in memory, and the
//! few most recent are kept (bodies capped) for diagnosis. Each server process keeps its own.

use std::{
    collections::VecDeque,
    sync::{Mutex, PoisonError},
};

use jiff::Timestamp;

use crate::domain::delivery::FailureReason;

/// How many refused deliveries are kept for diagnosis.
pub const SAMPLES_KEPT: usize = 16;
/// Longest body prefix kept with a sample.
pub const SAMPLE_BODY_BYTES: usize = 512;
/// Hours of counts kept.
const HOURS_KEPT: usize = 24;

/// One recent refused delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedSample {
    pub at: Timestamp,
    pub reason: FailureReason,
    pub body_bytes: usize,
    /// The first bytes of the body, as text (lossy).
    pub body_start: String,
}

#[derive(Debug, Default)]
pub struct Refusals {
    inner: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    /// `(hour, missing signature, bad signature)`, oldest first.
    hours: VecDeque<(i64, u64, u64)>,
    samples: VecDeque<RefusedSample>,
}

fn hour_of(at: Timestamp) -> i64 {
    at.as_second().div_euclid(3600)
}

impl Refusals {
    /// Counts one refused delivery and keeps it as the newest sample.
    pub fn record(&self, reason: FailureReason, body: &[u8], at: Timestamp) {
        let sample = RefusedSample {
            at,
            reason,
            body_bytes: body.len(),
            body_start: String::from_utf8_lossy(&body[..body.len().min(SAMPLE_BODY_BYTES)])
                .into_owned(),
        };
        let hour = hour_of(at);
        let mut log = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if log.hours.back().is_none_or(|(h, _, _)| *h != hour) {
            log.hours.push_back((hour, 0, 0));
            while log.hours.len() > HOURS_KEPT {
                log.hours.pop_front();
            }
        }
        if let Some((_, missing, bad)) = log.hours.back_mut() {
            match reason {
                FailureReason::MissingSignature => *missing += 1,
                _ => *bad += 1,
            }
        }
        log.samples.push_back(sample);
        while log.samples.len() > SAMPLES_KEPT {
            log.samples.pop_front();
        }
    }

    /// Refusals in the 24 hours up to `now` (whole clock hours), `(missing, bad)` signature.
    pub fn last_24h(&self, now: Timestamp) -> (u64, u64) {
        let first = hour_of(now) - (HOURS_KEPT as i64 - 1);
        let log = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        log.hours
            .iter()
            .filter(|(hour, _, _)| *hour >= first)
            .fold((0, 0), |(m, b), (_, missing, bad)| (m + missing, b + bad))
    }

    /// The most recent refused deliveries, newest first.
    pub fn samples(&self) -> Vec<RefusedSample> {
        let log = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        log.samples.iter().rev().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn refusals_are_counted_per_reason_for_the_last_24_hours() {
        let refusals = Refusals::default();
        refusals.record(
            FailureReason::MissingSignature,
            b"{}",
            at("2026-12-01T08:10:00Z"),
        );
        refusals.record(
            FailureReason::BadSignature,
            b"{}",
            at("2026-12-01T09:59:00Z"),
        );
        refusals.record(
            FailureReason::BadSignature,
            b"{}",
            at("2026-12-01T10:00:00Z"),
        );
        assert_eq!(refusals.last_24h(at("2026-12-01T10:30:00Z")), (1, 2));
        // A day later the 08:00 hour has left the window, and then the 09:00 one.
        assert_eq!(refusals.last_24h(at("2026-12-02T08:30:00Z")), (0, 2));
        assert_eq!(refusals.last_24h(at("2026-12-02T09:30:00Z")), (0, 1));
    }

    #[test]
    fn only_the_latest_few_are_kept_and_their_bodies_are_capped() {
        let refusals = Refusals::default();
        let long = vec![b'x'; 10_000];
        for i in 0..100 {
            let time = at("2026-12-01T08:00:00Z")
                .checked_add(jiff::SignedDuration::from_secs(i))
                .unwrap();
            refusals.record(FailureReason::BadSignature, &long, time);
        }
        let samples = refusals.samples();
        assert_eq!(samples.len(), SAMPLES_KEPT);
        assert_eq!(samples[0].at, at("2026-12-01T08:01:39Z"), "newest first");
        assert_eq!(samples[0].body_start.len(), SAMPLE_BODY_BYTES);
        assert_eq!(samples[0].body_bytes, 10_000);
    }
}
