//! A booking as the stand-in keeps it, the facts its webhooks repeat, and the JSON its API
//! answers with (shaped like Cal.com's booking API: ISO times with milliseconds).

use std::collections::BTreeMap;

use app::ssr::calcom::payloads::{iso_millis, BookingFacts};
use jiff::Timestamp;
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Value};

use crate::config::EventLink;

/// Length of every stand-in event.
pub const LENGTH_MINUTES: i64 = 30;

/// Cal.com's short-uuid alphabet (flickr base58).
const BASE58: &[u8] = b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/// A fresh 22-character uid like Cal.com's.
pub fn new_uid() -> String {
    let mut rng = rand::rng();
    (0..22)
        .map(|_| char::from(BASE58[rng.random_range(0..BASE58.len())]))
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Accepted,
    Pending,
    Cancelled,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Accepted => "ACCEPTED",
            Status::Pending => "PENDING",
            Status::Cancelled => "CANCELLED",
            Status::Rejected => "REJECTED",
        }
    }

    /// Still holds its slot.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Accepted | Status::Pending)
    }
}

#[derive(Clone, Debug)]
pub struct Attendee {
    pub name: String,
    pub email: String,
    pub time_zone: String,
}

#[derive(Clone, Debug)]
pub struct Booking {
    pub id: i64,
    pub uid: String,
    pub event: EventLink,
    pub start: Timestamp,
    pub end: Timestamp,
    pub attendee: Attendee,
    pub notes: String,
    pub guests: Vec<String>,
    /// Every `metadata[<k>]` the booker carried.
    pub metadata: BTreeMap<String, String>,
    pub status: Status,
    pub video_call_url: String,
    pub created_at: Timestamp,
    /// Moved by every change to the booking (from the store's clock, like `created_at`).
    pub updated_at: Timestamp,
    pub from_reschedule: Option<String>,
    pub rescheduled_to: Option<String>,
    pub cancellation_reason: Option<String>,
    pub rejection_reason: Option<String>,
    pub attendee_no_show: bool,
    pub host_no_show: bool,
}

impl Booking {
    pub fn submission_id(&self) -> Option<&str> {
        self.metadata.get("submissionId").map(String::as_str)
    }

    /// Cal.com's default event name.
    pub fn title(&self) -> String {
        format!(
            "{} between {} and {}",
            self.event.title, self.event.organizer_name, self.attendee.name
        )
    }

    /// What the webhook builders need; `with_metadata` = whether the embed's metadata goes in.
    pub fn facts(&self, with_metadata: bool) -> BookingFacts {
        BookingFacts {
            uid: self.uid.clone(),
            booking_id: self.id,
            event_type_id: self.event.event_type_id,
            event_slug: self.event.slug.clone(),
            title: self.title(),
            start: self.start,
            end: self.end,
            attendee_name: self.attendee.name.clone(),
            attendee_email: self.attendee.email.clone(),
            attendee_time_zone: self.attendee.time_zone.clone(),
            organizer_name: self.event.organizer_name.clone(),
            organizer_email: self.event.organizer_email.clone(),
            organizer_time_zone: self.event.organizer_time_zone.clone(),
            submission_id: self
                .submission_id()
                .filter(|_| with_metadata)
                .map(str::to_owned),
            video_call_url: Some(self.video_call_url.clone()),
            created_at: self.created_at,
        }
    }

    /// The booking as the API (and the booker page's success messages) show it.
    pub fn to_json(&self) -> Value {
        let mut metadata: serde_json::Map<String, Value> = self
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        metadata.insert("videoCallUrl".into(), json!(self.video_call_url));
        json!({
            "id": self.id,
            "uid": self.uid,
            "title": self.title(),
            "description": "",
            "startTime": iso_millis(self.start),
            "endTime": iso_millis(self.end),
            "status": self.status,
            "eventTypeId": self.event.event_type_id,
            "eventType": {
                "id": self.event.event_type_id,
                "slug": self.event.slug,
                "title": self.event.title,
                "length": LENGTH_MINUTES,
            },
            "calLink": self.event.link,
            "user": {
                "name": self.event.organizer_name,
                "email": self.event.organizer_email,
                "username": self.event.organizer_username,
                "timeZone": self.event.organizer_time_zone,
            },
            "attendees": [{
                "name": self.attendee.name,
                "email": self.attendee.email,
                "timeZone": self.attendee.time_zone,
                "noShow": self.attendee_no_show,
            }],
            "responses": {
                "name": self.attendee.name,
                "email": self.attendee.email,
                "notes": self.notes,
                "guests": self.guests,
            },
            "metadata": metadata,
            "submissionId": self.submission_id(),
            "location": "integrations:daily",
            "videoCallUrl": self.video_call_url,
            "paymentRequired": false,
            "isRecurring": false,
            "fromReschedule": self.from_reschedule,
            "rescheduledTo": self.rescheduled_to,
            "cancellationReason": self.cancellation_reason,
            "rejectionReason": self.rejection_reason,
            "noShowHost": self.host_no_show,
            "createdAt": iso_millis(self.created_at),
            "updatedAt": iso_millis(self.updated_at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_22_base58_characters_and_differ() {
        let (a, b) = (new_uid(), new_uid());
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| BASE58.contains(&c)));
        assert_ne!(a, b);
    }
}
