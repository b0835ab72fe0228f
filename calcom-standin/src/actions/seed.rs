//! Many bookings at once, for benchmarks: inserted straight into the store, no webhooks.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::types::ActionError;
use crate::{
    booking::{new_uid, Attendee, Booking, Status, LENGTH_MINUTES},
    config::Config,
    store::Store,
};

/// Most bookings one seed request makes.
pub const MAX_SEED: usize = 100_000;

/// `POST /standin/api/seed`'s body.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeedRequest {
    pub count: usize,
    /// `metadata.submissionId` is this followed by the booking's number [default: `seed-`].
    pub metadata_prefix: Option<String>,
    /// The event link [default: the first known].
    pub link: Option<String>,
    /// The first booking's start; the next ones follow every 30 minutes [default: the next
    /// whole hour after now].
    pub start: Option<Timestamp>,
}

/// Inserts `count` accepted bookings `1..=count` by `Seed <i>` / `seed-<i>@example.com`, in
/// back-to-back slots; returns how many.
pub fn seed(
    store: &mut Store,
    config: &Config,
    request: SeedRequest,
    now: Timestamp,
) -> Result<usize, ActionError> {
    if request.count > MAX_SEED {
        return Err(ActionError::Invalid(format!(
            "count {} is more than {MAX_SEED}",
            request.count
        )));
    }
    let event = match request.link.as_deref() {
        Some(link) => config.link(link),
        None => config.links.first(),
    }
    .cloned()
    .ok_or_else(|| ActionError::NotFound(format!("unknown event link {:?}", request.link)))?;
    let prefix = request.metadata_prefix.unwrap_or_else(|| "seed-".into());
    let hour = 3_600;
    let first = request.start.unwrap_or_else(|| {
        Timestamp::from_second((now.as_second() / hour + 1) * hour).unwrap_or(now)
    });
    let length = SignedDuration::from_mins(LENGTH_MINUTES);
    for i in 1..=request.count {
        let start = first + length * (i as i32 - 1);
        let uid = new_uid();
        let created_at = store.stamp(now);
        let booking = Booking {
            id: store.next_booking_id(),
            video_call_url: format!("{}/video/{uid}", config.public_origin),
            uid,
            event: event.clone(),
            start,
            end: start + length,
            attendee: Attendee {
                name: format!("Seed {i}"),
                email: format!("seed-{i}@example.com"),
                time_zone: "UTC".into(),
            },
            notes: String::new(),
            guests: Vec::new(),
            metadata: BTreeMap::from([("submissionId".to_owned(), format!("{prefix}{i}"))]),
            status: Status::Accepted,
            created_at,
            updated_at: created_at,
            from_reschedule: None,
            rescheduled_to: None,
            cancellation_reason: None,
            rejection_reason: None,
            attendee_no_show: false,
            host_no_show: false,
        };
        store.insert(booking);
    }
    Ok(request.count)
}
