//! An item as owners see it: its lead, what the delivery or event says (attendee, slot, the
//! body as received), the actions that fit it, every time in the business's time zone.

use jiff::{tz::TimeZone, Timestamp};

use crate::{
    domain::{booking::BookingEvent, local_time::owner_time, review::ItemKind},
    ssr::{
        calcom::{
            api::booking::parse_booking,
            parse::{parse_delivery, Delivery},
        },
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            events::{self, decode_event},
            review::ItemRow,
            webhook_failures,
        },
    },
    wire::review::{DeliveryDetail, ItemLead, ItemResolution, ReviewItem},
};

/// The item as the queue shows it.
pub async fn item_view(state: &AppState, row: ItemRow) -> Result<ReviewItem, ServerError> {
    let zone = &state.settings.owners.time_zone;
    let local = |t: DbTime| owner_time(t.timestamp(), zone);
    let delivery = match row.kind {
        ItemKind::FailedDelivery | ItemKind::HeldEvent => delivery(state, &row, zone).await?,
        ItemKind::UnlinkedBooking | ItemKind::CalcomMismatch => listed(&row, zone),
        _ => None,
    };
    let lead = match (
        row.lead_name,
        row.lead_email,
        row.lead_source,
        row.lead_stage,
    ) {
        (Some(name), Some(email), Some(source), Some(stage)) => Some(ItemLead {
            name,
            email,
            phone: row.lead_phone,
            source,
            stage,
            last_action: row.lead_last_event,
            last_action_at_local: row.lead_last_event_at.map(local),
        }),
        _ => None,
    };
    let resolution = match (row.resolved_at, row.resolution) {
        (Some(at), Some(resolution)) => Some(ItemResolution {
            at: at.timestamp().to_string(),
            by: row.resolved_by.unwrap_or_default(),
            resolution,
            reason: row.resolution_reason,
        }),
        _ => None,
    };
    Ok(ReviewItem {
        actions: if resolution.is_none() {
            row.kind.actions().to_vec()
        } else {
            Vec::new()
        },
        created_at: row.raised_at.timestamp().to_string(),
        created_at_local: local(row.raised_at),
        id: row.id,
        kind: row.kind,
        reason: row.reason,
        submission_id: row.submission_id,
        booking_uid: row.booking_uid,
        trigger: row.trigger_event,
        lead,
        delivery,
        snoozed_until: row.snoozed_until.map(|t| t.timestamp().to_string()),
        resolution,
    })
}

/// What the failed delivery's body, or the held event, says.
async fn delivery(
    state: &AppState,
    row: &ItemRow,
    zone: &TimeZone,
) -> Result<Option<DeliveryDetail>, ServerError> {
    let Some(id) = ItemKind::key_of(&row.id).and_then(|key| key.parse::<i64>().ok()) else {
        return Ok(None);
    };
    let (event, body) = match row.kind {
        ItemKind::FailedDelivery => {
            let Some(failure) = webhook_failures::get(&state.db, id).await? else {
                return Ok(None);
            };
            let raw = failure
                .raw_body
                .unwrap_or_else(|| failure.body.into_bytes());
            let event = match parse_delivery(&raw, Timestamp::now()) {
                Ok(Delivery::Booking(event)) => Some(*event),
                _ => None,
            };
            (event, String::from_utf8_lossy(&raw).into_owned())
        }
        _ => {
            let Some(logged) = events::by_id(&state.db, id).await? else {
                return Ok(None);
            };
            (Some(decode_event(&logged.event)?), logged.event)
        }
    };
    Ok(Some(detail(event.as_ref(), body, zone)))
}

/// What the booking an item raised by reconciliation keeps says (Cal.com's JSON).
fn listed(row: &ItemRow, zone: &TimeZone) -> Option<DeliveryDetail> {
    let payload = row.payload.clone()?;
    let json: serde_json::Value = serde_json::from_str(&payload).ok()?;
    let event = parse_booking(&json).ok().and_then(|b| b.beginning());
    let pretty = serde_json::to_string_pretty(&json).unwrap_or(payload);
    Some(detail(event.as_ref(), pretty, zone))
}

fn detail(event: Option<&BookingEvent>, body: String, zone: &TimeZone) -> DeliveryDetail {
    DeliveryDetail {
        attendee_name: event.and_then(|e| e.attendee_name.clone()),
        attendee_email: event.and_then(|e| e.attendee_email.clone()),
        slot_start: event.and_then(|e| e.start).map(|t| t.to_string()),
        slot_start_local: event.and_then(|e| e.start).map(|t| owner_time(t, zone)),
        body: Some(body),
    }
}
