//! The booker page, `GET /<calLink>/embed` (inside embed.js's iframe) and `GET /<calLink>`
//! (top level): free slots, a prefilled form, and `booker.js`, which speaks the iframe side of
//! Cal.com's embed protocol. An unknown link still gets a 200 page, marked
//! `data-link-known="false"`, so that its script can post `linkFailed`.

use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
};
use jiff::{tz::TimeZone, Timestamp};

use super::html::escape;
use crate::{booking::LENGTH_MINUTES, config::EventLink, slots, standin::Standin};

const SCRIPT: &str = include_str!("assets/booker.js");
const STYLE: &str = include_str!("assets/booker.css");

/// Where the page POSTs its booking.
pub const BOOKINGS_API: &str = "/standin/api/bookings";

/// `GET /standin/booker.js`.
pub async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// What the booker's query string prefills.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Prefill {
    pub name: String,
    pub email: String,
    pub notes: String,
    pub guests: Vec<String>,
    pub reschedule_uid: Option<String>,
}

impl Prefill {
    /// `name` (or `firstName` + `lastName`), `email`, `notes`, `guests`/`guest` (repeatable).
    pub fn from_query(query: &[(String, String)]) -> Self {
        let get = |key: &str| {
            query
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let name = get("name").unwrap_or_else(|| {
            [get("firstName"), get("lastName")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        });
        let mut guests: Vec<String> = Vec::new();
        for (_, guest) in query.iter().filter(|(k, _)| k == "guests" || k == "guest") {
            let guest = guest.trim();
            if !guest.is_empty() && !guests.iter().any(|g| g == guest) {
                guests.push(guest.to_owned());
            }
        }
        Self {
            name,
            email: get("email").unwrap_or_default(),
            notes: get("notes").unwrap_or_default(),
            guests,
            reschedule_uid: get("rescheduleUid"),
        }
    }
}

/// `GET /{*path}`: a booker page for `<calLink>` or `<calLink>/embed`.
pub async fn page(
    State(standin): State<Standin>,
    Path(path): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let path = path.trim_matches('/');
    let reserved = ["standin", "embed", "video", "favicon.ico"]
        .iter()
        .any(|r| path == *r || path.starts_with(&format!("{r}/")));
    if reserved || path.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let link = path.strip_suffix("/embed").unwrap_or(path);
    let (event, slots) = {
        let store = standin.store();
        let event = standin
            .config
            .link(link)
            .filter(|_| !store.settings.fail_links)
            .cloned();
        let slots = event
            .as_ref()
            .map(|e| slots::offered(Timestamp::now(), &store.taken(&e.link)))
            .unwrap_or_default();
        (event, slots)
    };
    let body = match event {
        Some(event) => known(&event, &slots, &Prefill::from_query(&query)),
        None => unknown(link),
    };
    // Deliberately no X-Frame-Options and no frame-ancestors: any page may embed the booker.
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(document(link, &body)),
    )
        .into_response()
}

fn document(title: &str, main: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Cal.com stand-in</title>
<style>{STYLE}</style>
</head>
<body>
{main}
<script src="/standin/booker.js"></script>
</body>
</html>
"#,
        title = escape(title),
    )
}

fn known(event: &EventLink, slots: &[Timestamp], prefill: &Prefill) -> String {
    let slot_items: String = slots
        .iter()
        .map(|start| {
            let utc = TimeZone::UTC.to_datetime(*start);
            let label = utc.strftime("%a %-d %b, %H:%M UTC").to_string();
            format!(
                r#"<li><button type="button" class="slot" data-testid="slot" data-start="{start}" aria-pressed="false">{label}</button></li>"#,
                start = escape(&start.to_string()),
                label = escape(&label),
            )
        })
        .collect();
    let reschedule = prefill
        .reschedule_uid
        .as_deref()
        .map(|uid| {
            format!(
                r#"<p class="note" data-testid="rescheduling">Rescheduling booking <code>{}</code></p>"#,
                escape(uid)
            )
        })
        .unwrap_or_default();
    format!(
        r#"<main class="main" id="booker" data-link="{link}" data-link-known="true" data-api="{api}">
<header>
<p class="host">{host}</p>
<h1>{title}</h1>
<p class="meta">{minutes} min · Cal Video · times in <span id="time-zone">UTC</span></p>
{reschedule}
</header>
<div id="booking-flow">
<section aria-labelledby="slots-heading">
<h2 id="slots-heading">Pick a time</h2>
<ul class="slots">{slot_items}</ul>
</section>
<form id="details" aria-labelledby="details-heading" novalidate>
<h2 id="details-heading">Your details</h2>
<label>Your name <input name="name" autocomplete="name" required value="{name}"></label>
<label>Email address <input name="email" type="email" autocomplete="email" required value="{email}"></label>
<label>Additional notes <textarea name="notes" rows="2">{notes}</textarea></label>
<label>Additional guests <input name="guests" value="{guests}"></label>
<label class="standin-option"><input type="checkbox" name="lose_metadata" data-testid="lose-metadata"> Stand-in: lose the metadata (book without the submission id, as if Cal.com dropped it)</label>
<p id="picked" aria-live="polite">No time picked yet.</p>
<p id="error" class="error" role="alert" data-testid="error" hidden></p>
<button type="submit" class="confirm" data-testid="confirm" disabled>Confirm booking</button>
</form>
</div>
<section id="booked" data-testid="booked" aria-live="polite" hidden>
<h2>This meeting is scheduled</h2>
<p id="booked-what"></p>
<p id="booked-when" data-testid="booked-when"></p>
<p>Booking <code id="booked-uid" data-testid="booking-uid"></code></p>
</section>
</main>"#,
        link = escape(&event.link),
        api = BOOKINGS_API,
        host = escape(&event.organizer_name),
        title = escape(&event.title),
        minutes = LENGTH_MINUTES,
        name = escape(&prefill.name),
        email = escape(&prefill.email),
        notes = escape(&prefill.notes),
        guests = escape(&prefill.guests.join(", ")),
    )
}

fn unknown(link: &str) -> String {
    format!(
        r#"<main class="main" id="booker" data-link="{link}" data-link-known="false">
<h1>This page could not be found</h1>
<p>The Cal link <code>{link}</code> does not exist on this stand-in.</p>
</main>"#,
        link = escape(link),
    )
}

/// `GET /video/<uid>`: where a booking's `videoCallUrl` leads.
pub async fn video(State(standin): State<Standin>, Path(uid): Path<String>) -> Response {
    let title = standin.store().booking(&uid).map(|b| b.title());
    let Some(title) = title else {
        return (
            StatusCode::NOT_FOUND,
            Html(document("video", &unknown(&uid))),
        )
            .into_response();
    };
    let main = format!(
        r#"<main class="main"><h1>Cal Video (stand-in)</h1><p>{}</p><p>Booking <code>{}</code></p></main>"#,
        escape(&title),
        escape(&uid)
    );
    Html(document("video", &main)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn first_and_last_name_stand_in_for_a_missing_name() {
        let prefill = Prefill::from_query(&query(&[("firstName", "Ana"), ("lastName", "Kovač")]));
        assert_eq!(prefill.name, "Ana Kovač");
        let prefill = Prefill::from_query(&query(&[("name", "Bo"), ("firstName", "Ana")]));
        assert_eq!(prefill.name, "Bo");
    }

    #[test]
    fn guests_and_guest_are_merged_once() {
        let prefill = Prefill::from_query(&query(&[
            ("guests", "a@example.com"),
            ("guest", "a@example.com"),
            ("guest", "b@example.com"),
            ("email", "ana@example.com"),
            ("rescheduleUid", "old"),
        ]));
        assert_eq!(prefill.guests, ["a@example.com", "b@example.com"]);
        assert_eq!(prefill.email, "ana@example.com");
        assert_eq!(prefill.reschedule_uid.as_deref(), Some("old"));
    }
}
