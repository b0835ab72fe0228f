//! `GET /standin`: a plain HTML page listing bookings and deliveries, with forms for every
//! action and the settings. Each form posts to `/standin/ui/…` (see [`super::ui`]).

use axum::{extract::State, response::Html};

use super::html::escape;
use crate::{actions::Action, delivery_log::DeliveryRecord, standin::Standin};

const STYLE: &str = include_str!("assets/booker.css");
const DASHBOARD_STYLE: &str = "
.dashboard { max-width: none; }
.dashboard form label { display: inline-block; margin: 0 0.5rem 0 0; }
.dashboard form input, .dashboard form textarea { display: inline-block; width: auto; margin: 0.1rem; }
.dashboard button { margin: 0.1rem; }
.dashboard .scroll { overflow-x: auto; }
@media (max-width: 78rem) { .dashboard .scroll table { width: 78rem; } }
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
    let log = standin.deliveries();
    let deliveries: String = log
        .all()
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
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cal.com stand-in</title><style>{STYLE}{DASHBOARD_STYLE}</style></head>
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
<div class="scroll"><table><thead><tr><th>uid</th><th>attendee</th><th>start</th><th>status</th><th>submission id</th><th>actions</th></tr></thead><tbody>{bookings}</tbody></table></div>
<h2>Deliveries (newest first)</h2>
<div class="scroll"><table><thead><tr><th>#</th><th>trigger</th><th>booking</th><th>state</th><th>signed</th><th>answer</th></tr></thead><tbody>{deliveries}</tbody></table></div>
</main></body></html>"#,
        webhook = escape(&standin.config.webhook_url),
        held = log.outbox.len(),
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
