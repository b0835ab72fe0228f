//! API v2's rate limit: requests per key counted in fixed 60-second windows, as Cal.com's
//! throttler counts them, and what its `X-RateLimit-*-Default` headers then say.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

/// Length of one counting window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// The window each key is in.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: HashMap<String, Window>,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    started: Instant,
    count: u32,
}

/// One request's verdict and the numbers its headers carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Whole seconds until the window resets (at least 1 while a window is open).
    pub reset_secs: u64,
}

impl RateLimiter {
    /// Counts one request by `key` against `limit` per window; `limit` 0 lets everything by.
    pub fn check(&mut self, key: &str, limit: u32, now: Instant) -> Verdict {
        if limit == 0 {
            return Verdict {
                allowed: true,
                limit,
                remaining: 0,
                reset_secs: 0,
            };
        }
        let window = self.windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        let allowed = window.count < limit;
        if allowed {
            window.count += 1;
        }
        let left = WINDOW.saturating_sub(now.duration_since(window.started));
        Verdict {
            allowed,
            limit,
            remaining: limit - window.count,
            reset_secs: left.as_millis().div_ceil(1000).max(1) as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_blocked_past_its_limit_until_the_window_ends() {
        let mut limiter = RateLimiter::default();
        let start = Instant::now();
        let first = limiter.check("k", 2, start);
        assert_eq!(
            (first.allowed, first.remaining, first.reset_secs),
            (true, 1, 60)
        );
        assert!(limiter.check("k", 2, start).allowed);
        let third = limiter.check("k", 2, start + Duration::from_millis(10_500));
        assert_eq!(
            (third.allowed, third.remaining, third.reset_secs),
            (false, 0, 50)
        );
        assert!(limiter.check("other", 2, start).allowed, "counted per key");
        assert!(
            limiter.check("k", 2, start + WINDOW).allowed,
            "a new window"
        );
    }
}
