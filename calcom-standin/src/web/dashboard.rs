//! `GET /standin`: a plain HTML page listing bookings and deliveries, with forms for every
//! action and the settings. Each form posts to `/standin/ui/…`, which does what the control
//! API does and redirects back with a one-line note.

use axum::{
    extract::{Path, State},
    response::{Html, Redirect},
    Form,
};
use jiff::Timestamp;
use serde::Deserialize;

use super::html::escape;
use crate::{
    actions::{self, Action, ActionInput, NewBooking},
    config::SettingsUpdate,
    delivery::{self, DeliveryOptions, DeliveryRecord},
    standin::Standin,
};

const STYLE: &str = include_str!("assets/booker.css");
const DASHBOARD_STYLE: &str = "
.dashboard { max-width: none; }
.dashboard form label { display: inline-block; margin: 0 0.5rem 0 0; }
.dashboard form input, .dashboard form textarea { display: inline-block; width: auto; margin: 0.1rem; }
.dashboard button { margin: 0.1rem; }
";
const DELIVERIES_SHOWN: usize = 40;

pub async fn page(State(standin): State<Standin>) -> Html<String> {
    let mut store = standin.store();
    let note = store
        .flash
        .take()
        .map(|n| format!(r#"<p role="status" class="note">{}</p>"#, escape(&n)))
        .unwrap_or_default();
    let settings = &store.settings;
    let checked = |on: bool| if on { " checked" } else { "" };
    let buttons: String = Action::ALL
        .iter()
        .map(|a| {
            format!(
                r#"<button name="action" value="{0}">{0}</button> "#,
                a.as_str()
            )
        })
        .collect();
    let bookings: String = store
        .bookings()
        .iter()
        .rev()
        .map(|b| {
            format!(
                r#"<tr><td><code>{uid}</code><br>#{id} {link}</td><td>{name}<br>{email}</td><td>{start}</td><td>{status}</td><td>{submission}</td>
<td><form method="post" action="/standin/ui/bookings/{uid}">
<input name="reason" placeholder="reason" size="10"> <input name="start" placeholder="new start (reschedule)" size="18">
<label><input type="checkbox" name="flat">flat</label> <label><input type="checkbox" name="force">force</label>
<label><input type="checkbox" name="twice">twice</label> <label><input type="checkbox" name="mis_sign">mis-sign</label>
<label><input type="checkbox" name="hold">hold</label> <label><input type="checkbox" name="drop">drop</label><br>{buttons}</form></td></tr>"#,
                uid = escape(&b.uid),
                id = b.id,
                link = escape(&b.event.link),
                name = escape(&b.attendee.name),
                email = escape(&b.attendee.email),
                start = b.start,
                status = b.status.as_str(),
                submission = escape(b.submission_id().unwrap_or("—")),
            )
        })
        .collect();
    let deliveries: String = store
        .deliveries()
        .iter()
        .rev()
        .take(DELIVERIES_SHOWN)
        .map(delivery_row)
        .collect();
    let links: String = standin
        .config
        .links
        .iter()
        .map(|l| {
            format!(
                r#"<a href="/{0}">/{0}</a> (<a href="/standin/demo?link={0}">embedded</a>) "#,
                escape(&l.link)
            )
        })
        .collect();
    Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cal.com stand-in</title><style>{STYLE}{DASHBOARD_STYLE}</style></head>
<body><main class="main dashboard">
<h1>Cal.com stand-in</h1>{note}
<p>Links: {links}· webhooks to <code>{webhook}</code> · {held} held</p>
<h2>Settings</h2>
<form method="post" action="/standin/ui/settings">
<label><input type="checkbox" name="fail_embed_script"{f_embed}>fail embed-script (503)</label>
<label><input type="checkbox" name="fail_links"{f_links}>fail links (linkFailed)</label>
<label><input type="checkbox" name="drop_webhooks"{f_drop}>drop webhooks</label>
<label>delay ms <input name="webhook_delay_ms" value="{delay}" size="6"></label>
<button>Save settings</button></form>
<h2>New booking</h2>
<form method="post" action="/standin/ui/book">
<input name="name" placeholder="name" required> <input name="email" placeholder="email" required>
<input name="submission_id" placeholder="submission id"> <input name="start" placeholder="start (optional)">
<label><input type="checkbox" name="requires_confirmation">requires confirmation</label>
<button>Book</button></form>
<p><form method="post" action="/standin/ui/flush" style="display:inline"><button>Flush outbox</button></form>
<form method="post" action="/standin/ui/flush" style="display:inline"><input type="hidden" name="reverse" value="on"><button>Flush outbox, newest first</button></form>
<form method="post" action="/standin/ui/ping" style="display:inline"><button>Ping</button></form>
<form method="post" action="/standin/ui/reset" style="display:inline"><button>Forget everything</button></form></p>
<h2>Bookings</h2>
<table><thead><tr><th>uid</th><th>attendee</th><th>start</th><th>status</th><th>submission id</th><th>actions</th></tr></thead><tbody>{bookings}</tbody></table>
<h2>Deliveries (newest first)</h2>
<table><thead><tr><th>#</th><th>trigger</th><th>booking</th><th>state</th><th>signed</th><th>answer</th></tr></thead><tbody>{deliveries}</tbody></table>
</main></body></html>"#,
        webhook = escape(&standin.config.webhook_url),
        held = store.outbox.len(),
        f_embed = checked(settings.fail_embed_script),
        f_links = checked(settings.fail_links),
        f_drop = checked(settings.drop_webhooks),
        delay = settings.webhook_delay_ms,
    ))
}

fn delivery_row(d: &DeliveryRecord) -> String {
    let answer = match (&d.status, &d.answer, &d.error) {
        (Some(status), answer, _) => format!("{status} {}", answer.as_deref().unwrap_or("")),
        (None, _, Some(error)) => error.clone(),
        _ => String::new(),
    };
    format!(
        "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{:?}</td><td>{}</td><td>{}</td></tr>",
        d.id,
        escape(&d.trigger),
        escape(d.booking_uid.as_deref().unwrap_or("")),
        d.state,
        if d.signed_with_secret { "yes" } else { "WRONG" },
        escape(&answer),
    )
}

/// A checkbox: present (any value) when ticked.
type Tick = Option<String>;

#[derive(Debug, Deserialize)]
pub struct BookForm {
    name: String,
    email: String,
    #[serde(default)]
    submission_id: String,
    #[serde(default)]
    start: String,
    requires_confirmation: Tick,
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    start: String,
    flat: Tick,
    force: Tick,
    twice: Tick,
    mis_sign: Tick,
    hold: Tick,
    drop: Tick,
}

#[derive(Debug, Deserialize)]
pub struct FlushForm {
    reverse: Tick,
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    fail_embed_script: Tick,
    fail_links: Tick,
    drop_webhooks: Tick,
    #[serde(default)]
    webhook_delay_ms: String,
}

pub async fn book(State(standin): State<Standin>, Form(form): Form<BookForm>) -> Redirect {
    let mut new = NewBooking {
        name: form.name,
        email: form.email,
        start: Some(form.start),
        requires_confirmation: form.requires_confirmation.is_some(),
        ..NewBooking::default()
    };
    if !form.submission_id.trim().is_empty() {
        new.metadata
            .insert("submissionId".into(), form.submission_id.trim().into());
    }
    let outcome = {
        let mut store = standin.store();
        actions::create(&mut store, &standin.config, new, Timestamp::now())
    };
    let note = match outcome {
        Ok(outcome) => {
            let uid = outcome.booking.uid.clone();
            let sent =
                delivery::dispatch(&standin, outcome.webhooks, &DeliveryOptions::default()).await;
            format!("booked {uid}: {}", summary(&sent))
        }
        Err(error) => format!("not booked: {error}"),
    };
    back(&standin, note)
}

pub async fn act(
    State(standin): State<Standin>,
    Path(uid): Path<String>,
    Form(form): Form<ActForm>,
) -> Redirect {
    let options = DeliveryOptions {
        twice: form.twice.is_some(),
        mis_sign: form.mis_sign.is_some(),
        hold: form.hold.is_some(),
        delay_ms: None,
        drop: form.drop.is_some(),
    };
    let input = ActionInput {
        reason: Some(form.reason).filter(|r| !r.trim().is_empty()),
        start: Some(form.start),
        flat: form.flat.is_some(),
        force: form.force.is_some(),
    };
    let outcome = form.action.parse::<Action>().and_then(|action| {
        let mut store = standin.store();
        actions::act(
            &mut store,
            &standin.config,
            &uid,
            action,
            input,
            Timestamp::now(),
        )
    });
    let note = match outcome {
        Ok(outcome) => {
            let sent = delivery::dispatch(&standin, outcome.webhooks, &options).await;
            format!("{} {uid}: {}", form.action, summary(&sent))
        }
        Err(error) => format!("{} {uid} refused: {error}", form.action),
    };
    back(&standin, note)
}

pub async fn flush(State(standin): State<Standin>, Form(form): Form<FlushForm>) -> Redirect {
    let sent = delivery::flush(&standin, form.reverse.is_some()).await;
    let note = format!("flushed: {}", summary(&sent));
    back(&standin, note)
}

pub async fn ping(State(standin): State<Standin>) -> Redirect {
    let webhook = actions::ping(&mut standin.store(), Timestamp::now());
    let sent = delivery::dispatch(&standin, vec![webhook], &DeliveryOptions::default()).await;
    let note = format!("ping: {}", summary(&sent));
    back(&standin, note)
}

pub async fn settings(State(standin): State<Standin>, Form(form): Form<SettingsForm>) -> Redirect {
    let delay = form.webhook_delay_ms.trim();
    let update = SettingsUpdate {
        fail_embed_script: Some(form.fail_embed_script.is_some()),
        fail_links: Some(form.fail_links.is_some()),
        drop_webhooks: Some(form.drop_webhooks.is_some()),
        webhook_delay_ms: if delay.is_empty() {
            Some(0)
        } else {
            delay.parse().ok()
        },
    };
    standin.store().settings.apply(&update);
    back(&standin, "settings saved".into())
}

pub async fn reset(State(standin): State<Standin>) -> Redirect {
    standin.store().reset();
    back(&standin, "forgot every booking and delivery".into())
}

fn summary(sent: &[DeliveryRecord]) -> String {
    if sent.is_empty() {
        return "nothing to send".into();
    }
    sent.iter()
        .map(|d| match (d.status, &d.error) {
            (Some(status), _) => format!("{} → {status}", d.trigger),
            (None, Some(error)) => format!("{} → {error}", d.trigger),
            (None, None) => format!("{} {:?}", d.trigger, d.state),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn back(standin: &Standin, note: String) -> Redirect {
    standin.store().flash = Some(note);
    Redirect::to("/standin")
}
