//! The booking page's server side: reading the lead, recording the first visit, describing
//! the booking the webhooks wrote, and building the embed's set-up and fallback link.
//!
//! Whoever holds the link sees the page, so the link's personal data has a shelf life: after
//! `BOOKING_LINK_DAYS` the page greets nobody and prefills nothing, while the lead can still
//! book with it (the submission id still rides in the booking's metadata).

use jiff::{tz::TimeZone, SignedDuration, Timestamp};

use crate::{
    domain::{
        booking::{describe_slot, Stage},
        intake::first_name,
    },
    ssr::{
        db::{Db, DbTime},
        settings::CalSettings,
        state::AppState,
        store::leads::{self, BookingPageRow},
    },
    wire::booking::{BookingView, ConfirmedBooking, EmbedSetup},
};

/// Response header by which a page asks for the booking page's Content-Security-Policy (the
/// one that lets the Cal.com embed in). The security-headers middleware reads and removes it.
pub const CSP_PROFILE_HEADER: &str = "x-handoff-csp-profile";
pub const CSP_PROFILE_BOOKING: &str = "booking";

/// The canonical (lowercase, hyphenated) form of a submission id, or `None` when it is not one.
pub fn parse_submission_id(text: &str) -> Option<String> {
    uuid::Uuid::parse_str(text)
        .ok()
        .map(|id| id.as_hyphenated().to_string())
}

/// The page for a lead, recording its first visit; `None` for an unknown lead, which costs
/// one read and no write.
pub async fn open(app: &AppState, submission_id: &str) -> Result<Option<BookingView>, sqlx::Error> {
    let Some(row) = leads::find_for_booking_page(&app.db, submission_id).await? else {
        return Ok(None);
    };
    let now = Timestamp::now();
    if row.invited_at.is_none() {
        leads::mark_invited(&app.db, submission_id, DbTime::new(now)).await?;
    }
    ask_for_booking_policy();
    let personal = shows_personal_data(&row, app.settings.intake.booking_link_days, now);
    Ok(Some(BookingView {
        submission_id: row.submission_id.clone(),
        first_name: personal.then(|| first_name(&row.name).to_owned()),
        embed: embed_setup(&app.settings.cal, &row, personal),
        booking: confirmed_booking(&row),
    }))
}

/// Whether the link is young enough to greet the lead by name and prefill the booker.
fn shows_personal_data(row: &BookingPageRow, link_days: u32, now: Timestamp) -> bool {
    let age = now.duration_since(row.created_at.timestamp());
    age < SignedDuration::from_hours(i64::from(link_days) * 24)
}

/// The lead's current booking, if it has one that is booked or awaiting the host.
pub async fn current_booking(
    db: &Db,
    submission_id: &str,
) -> Result<Option<ConfirmedBooking>, sqlx::Error> {
    Ok(leads::find_for_booking_page(db, submission_id)
        .await?
        .and_then(|row| confirmed_booking(&row)))
}

fn confirmed_booking(row: &BookingPageRow) -> Option<ConfirmedBooking> {
    let accepted = match row.booking_status? {
        Stage::Booked | Stage::Rescheduled => true,
        Stage::Requested => false,
        _ => return None,
    };
    let (uid, start, end) = (
        row.booking_uid.clone()?,
        row.booking_start?,
        row.booking_end?,
    );
    let zone_name = row.attendee_time_zone.as_deref().unwrap_or("UTC");
    let (zone_name, zone) = match TimeZone::get(zone_name) {
        Ok(zone) => (zone_name, zone),
        Err(_) => ("UTC", TimeZone::UTC),
    };
    Some(ConfirmedBooking {
        uid,
        accepted,
        start_utc: start.timestamp().to_string(),
        when: describe_slot(start.timestamp(), end.timestamp(), zone_name, &zone),
    })
}

fn embed_setup(cal: &CalSettings, row: &BookingPageRow, personal: bool) -> EmbedSetup {
    let prefill = |value: &str| {
        if personal {
            value.to_owned()
        } else {
            String::new()
        }
    };
    EmbedSetup {
        script_url: cal.embed_script_url.clone(),
        origin: cal.booker_origin().to_owned(),
        cal_link: cal.link.clone(),
        name: prefill(&row.name),
        email: prefill(&row.email),
        fallback_url: fallback_url(cal, row, personal),
    }
}

/// The public booking page, prefilled (while the link is young) and carrying the submission
/// id as the embed does.
fn fallback_url(cal: &CalSettings, row: &BookingPageRow, personal: bool) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if personal {
        query
            .append_pair("name", &row.name)
            .append_pair("email", &row.email);
    }
    let query = query
        .append_pair("metadata[submissionId]", &row.submission_id)
        .finish();
    format!(
        "{}/{}?{query}",
        cal.booker_origin(),
        cal.link.trim_matches('/')
    )
}

fn ask_for_booking_policy() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::HeaderName::from_static(CSP_PROFILE_HEADER),
            http::HeaderValue::from_static(CSP_PROFILE_BOOKING),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> BookingPageRow {
        BookingPageRow {
            submission_id: "00000000-0000-4000-8000-000000000001".into(),
            name: "Ana Kovač".into(),
            email: "ana+test@example.com".into(),
            stage: Stage::Invited,
            booking_status: None,
            booking_uid: None,
            booking_start: None,
            booking_end: None,
            attendee_time_zone: None,
            created_at: DbTime::new("2026-11-20T10:00:00Z".parse().unwrap()),
            invited_at: None,
        }
    }

    fn cal() -> CalSettings {
        CalSettings {
            link: "acme/intro".into(),
            origins: vec!["https://cal.com".into()],
            embed_script_url: "https://app.cal.com/embed/embed.js".into(),
            event_types: Vec::new(),
        }
    }

    #[test]
    fn the_fallback_link_carries_the_prefill_and_the_submission_id() {
        assert_eq!(
            fallback_url(&cal(), &row(), true),
            "https://cal.com/acme/intro?name=Ana+Kova%C4%8D&email=ana%2Btest%40example.com\
             &metadata%5BsubmissionId%5D=00000000-0000-4000-8000-000000000001"
        );
    }

    #[test]
    fn an_old_link_carries_the_submission_id_and_nothing_personal() {
        assert_eq!(
            fallback_url(&cal(), &row(), false),
            "https://cal.com/acme/intro?metadata%5BsubmissionId%5D=00000000-0000-4000-8000-000000000001"
        );
        let embed = embed_setup(&cal(), &row(), false);
        assert_eq!((embed.name.as_str(), embed.email.as_str()), ("", ""));
    }

    #[test]
    fn personal_data_is_shown_for_the_links_first_days_only() {
        let created: Timestamp = "2026-11-20T10:00:00Z".parse().unwrap();
        let at = |days: i64, secs: i64| {
            created
                .checked_add(
                    SignedDuration::from_hours(days * 24) + SignedDuration::from_secs(secs),
                )
                .unwrap()
        };
        assert!(shows_personal_data(&row(), 30, at(0, 0)));
        assert!(shows_personal_data(&row(), 30, at(29, 86_399)));
        assert!(!shows_personal_data(&row(), 30, at(30, 0)));
        assert!(!shows_personal_data(&row(), 1, at(1, 1)));
    }

    #[test]
    fn malformed_ids_are_not_submission_ids() {
        assert_eq!(parse_submission_id("nope"), None);
        assert_eq!(parse_submission_id("'; drop table leads; --"), None);
        assert_eq!(
            parse_submission_id("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11").as_deref(),
            Some("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        );
    }

    fn booked(status: Stage, zone: Option<&str>) -> BookingPageRow {
        BookingPageRow {
            booking_status: Some(status),
            booking_uid: Some("bk_1".into()),
            booking_start: Some(DbTime::new("2026-12-01T09:00:00Z".parse().unwrap())),
            booking_end: Some(DbTime::new("2026-12-01T09:30:00Z".parse().unwrap())),
            attendee_time_zone: zone.map(str::to_owned),
            ..row()
        }
    }

    #[test]
    fn only_a_current_booking_is_shown() {
        let shown = confirmed_booking(&booked(Stage::Booked, Some("Europe/Ljubljana"))).unwrap();
        assert!(shown.accepted);
        assert_eq!(
            shown.when,
            "Tuesday 1 December 2026, 10:00–10:30 (Europe/Ljubljana)"
        );
        assert_eq!(shown.start_utc, "2026-12-01T09:00:00Z");
        assert!(
            !confirmed_booking(&booked(Stage::Requested, None))
                .unwrap()
                .accepted
        );
        for gone in [
            Stage::Cancelled,
            Stage::Rejected,
            Stage::Completed,
            Stage::NoShow,
        ] {
            assert_eq!(confirmed_booking(&booked(gone, None)), None, "{gone:?}");
        }
        assert_eq!(confirmed_booking(&row()), None);
    }

    #[test]
    fn an_unknown_zone_reads_in_utc() {
        let shown = confirmed_booking(&booked(Stage::Booked, Some("Mars/Olympus"))).unwrap();
        assert!(shown.when.ends_with("09:00–09:30 (UTC)"), "{}", shown.when);
    }
}
