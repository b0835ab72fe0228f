//! The stand-in's memory of bookings, the current settings and API v2's request counts. Held behind one mutex that is
//! never kept across an `await`; the deliveries have their own, in
//! [`DeliveryLog`](crate::delivery_log::DeliveryLog).

use jiff::{SignedDuration, Timestamp};

use crate::{booking::Booking, config::Settings, rate_limit::RateLimiter};

#[derive(Debug, Default)]
pub struct Store {
    bookings: Vec<Booking>,
    next_booking_id: i64,
    last_stamp: Option<Timestamp>,
    pub settings: Settings,
    /// API v2's request counts per key.
    pub rate_limiter: RateLimiter,
    /// A one-line note the dashboard shows once.
    pub flash: Option<String>,
}

impl Store {
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }

    /// Forgets bookings and request counts; keeps the settings (booking ids and stamps go on counting up).
    pub fn reset(&mut self) {
        *self = Self {
            settings: self.settings.clone(),
            last_stamp: self.last_stamp,
            next_booking_id: self.next_booking_id,
            ..Self::default()
        };
    }

    pub fn bookings(&self) -> &[Booking] {
        &self.bookings
    }

    pub fn booking(&self, uid: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.uid == uid)
    }

    pub fn booking_mut(&mut self, uid: &str) -> Option<&mut Booking> {
        self.bookings.iter_mut().find(|b| b.uid == uid)
    }

    pub fn insert(&mut self, booking: Booking) {
        self.bookings.push(booking);
    }

    /// Numeric booking ids, from 101 like a database that has seen a few.
    pub fn next_booking_id(&mut self) -> i64 {
        self.next_booking_id = self.next_booking_id.max(100) + 1;
        self.next_booking_id
    }

    /// Starts held by active bookings of `link`.
    pub fn taken(&self, link: &str) -> Vec<Timestamp> {
        self.bookings
            .iter()
            .filter(|b| b.event.link == link && b.status.is_active())
            .map(|b| b.start)
            .collect()
    }

    /// The clock time to put on an event: `now` at millisecond precision, but always later
    /// than the previous one, since receivers order Cal.com's events by `createdAt`.
    pub fn stamp(&mut self, now: Timestamp) -> Timestamp {
        let now = Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now);
        let stamp = match self.last_stamp {
            Some(last) if now <= last => last
                .checked_add(SignedDuration::from_millis(1))
                .unwrap_or(now),
            _ => now,
        };
        self.last_stamp = Some(stamp);
        stamp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_increase_even_within_one_millisecond() {
        let mut store = Store::default();
        let now: Timestamp = "2026-10-01T09:00:00.123456Z".parse().expect("time");
        let first = store.stamp(now);
        let second = store.stamp(now);
        assert_eq!(first.to_string(), "2026-10-01T09:00:00.123Z");
        assert_eq!(second.to_string(), "2026-10-01T09:00:00.124Z");
        let earlier: Timestamp = "2026-10-01T08:00:00Z".parse().expect("time");
        assert!(store.stamp(earlier) > second);
    }
}
