//! One lead as its page and `GET /api/leads/{submission_id}` show it: every field, and its
//! timeline in time order (the submission, the first visit to the booking page, every logged
//! Cal.com event with its stored body, review items raised and resolved, owners' actions).

use jiff::{tz::TimeZone, Timestamp};

use crate::{
    domain::local_time::{owner_time, zone_name},
    error::AppError,
    ssr::{
        booking_page::parse_submission_id,
        db::DbTime,
        state::AppState,
        store::{
            audit,
            events::{EventSource, EventStatus},
            leads::{detail, list::LeadRow},
        },
    },
    wire::leads::{LeadDetail, LeadView, TimelineEntry, TimelineKind},
};

/// Every field of the lead.
pub fn lead_detail(row: LeadRow, zone: &TimeZone) -> LeadDetail {
    let utc = |t: Option<DbTime>| t.map(|t| t.timestamp().to_string());
    let local = |t: Option<DbTime>| t.map(|t| owner_time(t.timestamp(), zone));
    LeadDetail {
        created_at: row.created_at.timestamp().to_string(),
        created_at_local: owner_time(row.created_at.timestamp(), zone),
        consented_at: row.consented_at.timestamp().to_string(),
        invited_at: utc(row.invited_at),
        invited_at_local: local(row.invited_at),
        booking_start: utc(row.booking_start),
        booking_start_local: local(row.booking_start),
        booking_end: utc(row.booking_end),
        booking_end_local: local(row.booking_end),
        first_booked_at: utc(row.first_booked_at),
        first_booked_at_local: local(row.first_booked_at),
        last_event_at: utc(row.last_event_at),
        last_event_at_local: local(row.last_event_at),
        erased_at: utc(row.erased_at),
        erased_at_local: local(row.erased_at),
        submission_id: row.submission_id,
        name: row.name,
        email: row.email,
        company: row.company,
        phone: row.phone,
        message: row.message,
        source: row.source,
        utm_source: row.utm_source,
        utm_medium: row.utm_medium,
        utm_campaign: row.utm_campaign,
        referrer: row.referrer,
        landing_path: row.landing_path,
        stage: row.stage,
        booking_status: row.booking_status,
        booking_uid: row.booking_uid,
        attendee_time_zone: row.attendee_time_zone,
        location: row.location,
        reschedule_count: row.reschedule_count,
        cancellation_reason: row.cancellation_reason,
        last_event: row.last_event,
    }
}

/// A timeline entry at `at`, the rest empty.
fn entry(kind: TimelineKind, at: Timestamp, zone: &TimeZone, summary: String) -> TimelineEntry {
    TimelineEntry {
        kind,
        at: at.to_string(),
        at_local: owner_time(at, zone),
        summary,
        trigger: None,
        event_created_at: None,
        event_created_at_local: None,
        status: None,
        by: None,
        item_id: None,
        body: None,
    }
}

/// The lead `submission_id` and its timeline; `NotFound` for an unknown or malformed id.
pub async fn view(state: &AppState, submission_id: &str) -> Result<LeadView, AppError> {
    let id = parse_submission_id(submission_id).ok_or(AppError::NotFound)?;
    let db = &state.db;
    let row = detail::lead(db, &id).await?.ok_or(AppError::NotFound)?;
    let zone = &state.settings.owners.time_zone;
    let mut timeline: Vec<(Timestamp, TimelineEntry)> = Vec::new();
    let mut push = |at: Timestamp, e: TimelineEntry| timeline.push((at, e));

    let created = row.created_at.timestamp();
    push(
        created,
        entry(
            TimelineKind::Submitted,
            created,
            zone,
            "Submitted the intake form".into(),
        ),
    );
    if let Some(invited) = row.invited_at.map(DbTime::timestamp) {
        push(
            invited,
            entry(
                TimelineKind::Invited,
                invited,
                zone,
                "Reached the booking page".into(),
            ),
        );
    }
    for event in detail::events(db, &id).await? {
        let received = event.received_at.timestamp();
        let status = match event.status {
            EventStatus::Applied => "applied",
            EventStatus::Held => "held",
        };
        let summary = match event.source {
            EventSource::Webhook => format!("Cal.com sent {} ({status})", event.trigger_event),
            EventSource::Owner => format!("An owner marked {} ({status})", event.trigger_event),
            EventSource::Reconcile => format!(
                "Found in Cal.com's bookings by reconciliation: {} ({status})",
                event.trigger_event
            ),
        };
        let mut e = entry(TimelineKind::CalEvent, received, zone, summary);
        e.trigger = Some(event.trigger_event);
        e.event_created_at = Some(event.event_at.timestamp().to_string());
        e.event_created_at_local = Some(owner_time(event.event_at.timestamp(), zone));
        e.status = Some(status.to_owned());
        e.by = Some(event.source.as_str().to_owned());
        // The delivery as Cal.com sent it while its bytes are kept; after that, as parsed.
        e.body = Some(match event.raw_body {
            Some(raw) => String::from_utf8_lossy(&raw).into_owned(),
            None => event.event,
        });
        push(received, e);
    }
    for item in detail::review_items(db, &id).await? {
        let raised = item.raised_at.timestamp();
        let mut e = entry(
            TimelineKind::Review,
            raised,
            zone,
            format!("Review item raised: {}", item.reason),
        );
        e.item_id = Some(item.id.clone());
        e.status = Some("raised".into());
        e.by = Some("automation".into());
        push(raised, e);
        if let (Some(at), Some(resolution)) = (item.resolved_at, item.resolution) {
            let at = at.timestamp();
            let mut e = entry(
                TimelineKind::Review,
                at,
                zone,
                format!("Review item {} resolved: {resolution}", item.kind.as_str()),
            );
            e.item_id = Some(item.id);
            e.status = Some(resolution);
            e.by = item.resolved_by;
            push(at, e);
        }
    }
    for action in audit::for_lead(db, &id).await? {
        let at = action.at.timestamp();
        let mut e = entry(
            TimelineKind::Audit,
            at,
            zone,
            format!("{} by {}", action.action, action.owner_email),
        );
        e.status = Some(action.action);
        e.by = Some(action.owner_email);
        e.item_id = action.item_id;
        e.body = action.detail;
        push(at, e);
    }
    // Stable: entries at the same instant keep the order above (submission first).
    timeline.sort_by_key(|(at, _)| *at);
    Ok(LeadView {
        lead: lead_detail(row, zone),
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
        time_zone: zone_name(zone),
    })
}
