//! The deliveries this process has recently seen committed, by the SHA-256 of their bytes, so
//! that a re-delivery is answered `duplicate` without a database transaction. Cal.com re-sends
//! a delivery soon after the first, so the most recent keys are the ones that pay.
//!
//! The set only ever holds keys whose event row is committed (rows are never deleted), so a
//! hit is always right; a miss (an older key, a restart, a key another process took) falls
//! through to the database, whose unique index stays the authority.

use std::{
    collections::{HashSet, VecDeque},
    sync::Mutex,
};

/// A delivery's idempotency key: the SHA-256 of its body.
pub type BodyDigest = [u8; 32];

/// How many keys are kept: under 5 MiB, more than a day of Cal.com's retries for a
/// busy account.
pub const DEFAULT_CAPACITY: usize = 65_536;

/// A bounded set of committed delivery keys; the oldest is forgotten first.
#[derive(Debug)]
pub struct RecentDeliveries {
    capacity: usize,
    keys: Mutex<Keys>,
}

#[derive(Debug, Default)]
struct Keys {
    members: HashSet<BodyDigest>,
    order: VecDeque<BodyDigest>,
}

impl Default for RecentDeliveries {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl RecentDeliveries {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            keys: Mutex::new(Keys::default()),
        }
    }

    /// Whether the delivery with this key is known to be committed.
    pub fn contains(&self, key: &BodyDigest) -> bool {
        self.lock().members.contains(key)
    }

    /// Remembers a key whose event row is committed.
    pub fn insert(&self, key: BodyDigest) {
        let mut keys = self.lock();
        if !keys.members.insert(key) {
            return;
        }
        keys.order.push_back(key);
        if keys.order.len() > self.capacity {
            if let Some(oldest) = keys.order.pop_front() {
                keys.members.remove(&oldest);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Keys> {
        // The set is only a shortcut: after a panic elsewhere its contents are still sound.
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> BodyDigest {
        [n; 32]
    }

    #[test]
    fn a_remembered_key_is_known_and_others_are_not() {
        let recent = RecentDeliveries::with_capacity(4);
        recent.insert(key(1));
        assert!(recent.contains(&key(1)));
        assert!(!recent.contains(&key(2)));
    }

    #[test]
    fn past_its_capacity_the_oldest_key_is_forgotten_first() {
        let recent = RecentDeliveries::with_capacity(3);
        for n in 1..=3 {
            recent.insert(key(n));
        }
        // Inserting a known key again does not make it younger or take a place.
        recent.insert(key(1));
        recent.insert(key(4));
        assert!(!recent.contains(&key(1)));
        for n in 2..=4 {
            assert!(recent.contains(&key(n)), "{n}");
        }
        let keys = recent.lock();
        assert_eq!((keys.members.len(), keys.order.len()), (3, 3));
    }
}
