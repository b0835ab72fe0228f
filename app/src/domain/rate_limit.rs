//! Sliding-hour limits read from two fixed-hour counters: the hits of the previous clock hour,
//! weighted by how much of it still lies within the last sixty minutes, plus the hits of the
//! current one. Unlike a bare clock-hour counter, a limit does not reset on the hour, so a
//! burst straddling the hour gets no second allowance.

/// The length of a window, in seconds.
pub const WINDOW_SECONDS: i64 = 3600;

/// The hits of the previous and the current clock hour for one key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowCounts {
    pub previous: i64,
    pub current: i64,
}

impl WindowCounts {
    /// The hits counted against the sixty minutes up to `elapsed` seconds into the current
    /// hour: the previous hour's share rounded up, so the estimate never undercounts a burst
    /// just before the hour.
    pub fn estimate(&self, elapsed: i64) -> i64 {
        let elapsed = elapsed.clamp(0, WINDOW_SECONDS);
        let previous = self.previous.max(0);
        let share = (previous * (WINDOW_SECONDS - elapsed) + WINDOW_SECONDS - 1) / WINDOW_SECONDS;
        share + self.current.max(0)
    }

    /// The counts as they were before the hit just counted (when counting answered them).
    pub fn before_latest(self) -> WindowCounts {
        WindowCounts {
            current: self.current - 1,
            ..self
        }
    }

    /// Whether `limit` hits are used up, so the next one must wait.
    pub fn exhausted(&self, limit: u32, elapsed: i64) -> bool {
        self.estimate(elapsed) >= i64::from(limit)
    }

    /// Whole seconds until the next hit is allowed again (at least one when exhausted, zero
    /// when it is allowed now), assuming no further hits meanwhile.
    pub fn retry_after(&self, limit: u32, elapsed: i64) -> u64 {
        if !self.exhausted(limit, elapsed) {
            return 0;
        }
        let (limit, window) = (i64::from(limit), WINDOW_SECONDS);
        let elapsed = elapsed.clamp(0, window);
        let current = self.current.max(0);
        // The first second `s` into an hour at which `hits` of the hour before, rounded up
        // to their share, stay within `allowed`.
        let first_allowed = |hits: i64, allowed: i64| window - allowed * window / hits.max(1);
        let wait = if current < limit {
            first_allowed(self.previous.max(1), limit - current - 1) - elapsed
        } else {
            (window - elapsed) + first_allowed(current, limit - 1)
        };
        wait.max(1).unsigned_abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(previous: i64, current: i64) -> WindowCounts {
        WindowCounts { previous, current }
    }

    #[test]
    fn the_previous_hour_weighs_by_its_share_of_the_last_sixty_minutes() {
        assert_eq!(counts(10, 2).estimate(0), 12);
        assert_eq!(counts(10, 2).estimate(1800), 7);
        assert_eq!(counts(10, 2).estimate(1801), 7, "rounded up");
        assert_eq!(counts(10, 2).estimate(3600), 2);
    }

    #[test]
    fn a_limit_used_up_before_the_hour_still_holds_just_after_it() {
        // Three hits at 10:59; at 11:00:01 the limit of three is still used up.
        assert!(counts(3, 0).exhausted(3, 1));
        assert!(counts(3, 0).exhausted(3, 1199));
        assert!(!counts(3, 0).exhausted(3, 1200));
        assert!(!counts(0, 2).exhausted(3, 1));
        assert!(counts(0, 3).exhausted(3, 3599));
    }

    #[test]
    fn retry_after_is_when_the_estimate_drops_below_the_limit() {
        assert_eq!(counts(0, 2).retry_after(3, 100), 0);
        for (c, limit, elapsed) in [
            (counts(3, 0), 3, 1),
            (counts(6, 1), 3, 600),
            (counts(0, 3), 3, 100),
            (counts(2, 8), 4, 3000),
            (counts(7, 0), 3, 2000),
            (counts(1, 2), 3, 10),
        ] {
            let wait = c.retry_after(limit, elapsed) as i64;
            assert!(wait >= 1, "{c:?}");
            let (later, seconds_in) = at(c, elapsed + wait);
            assert!(
                !later.exhausted(limit, seconds_in),
                "{c:?} allowed after {wait}s"
            );
            if wait > 1 {
                let (sooner, seconds_in) = at(c, elapsed + wait - 1);
                assert!(
                    sooner.exhausted(limit, seconds_in),
                    "{c:?} not before {wait}s"
                );
            }
        }
    }

    /// The counts and seconds into their hour, `at` seconds after the start of the current
    /// hour (rolling over into the next).
    fn at(c: WindowCounts, at: i64) -> (WindowCounts, i64) {
        if at < WINDOW_SECONDS {
            (c, at)
        } else {
            (counts(c.current, 0), at - WINDOW_SECONDS)
        }
    }
}
