//! `/leads/{submission_id}`: one lead with every field and its whole timeline, and erasing
//! its personal data behind a confirmation (type ERASE). The erase form posts to a server
//! function, so it works without JavaScript (the page comes back showing the erased lead).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_params_map};

use crate::wire::review_url::encode as urlencode;
use crate::{
    api::leads::{load_lead, EraseLead},
    components::{OwnerFrame, TypedTitle},
    error::AppError,
    wire::leads::{LeadDetail, LeadView, TimelineEntry},
};

#[component]
pub fn LeadPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("submission_id").unwrap_or_default()));
    let erase = ServerAction::<EraseLead>::new();
    let lead = Resource::new(
        move || (id.get(), erase.version().get()),
        |(id, _)| load_lead(Some(id)),
    );
    view! {
        <OwnerFrame>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match lead.await {
                        Ok(view) => view! { <Lead view erase /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            let next = urlencode(&format!("/leads/{}", id.get_untracked()));
                            view! { <Redirect path=format!("/signin?next={next}") /> }.into_any()
                        }
                        Err(AppError::NotFound) => view! {
                            <Title text="No such lead" />
                            <p class="form-problem" role="alert">
                                "There is no lead with that submission id. "
                                <a href="/leads">"Back to the leads"</a>
                            </p>
                        }
                        .into_any(),
                        Err(_) => view! {
                            <p class="form-problem" role="alert">
                                "The lead could not be loaded. Please reload the page in a moment."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </OwnerFrame>
    }
}

/// `(label, value)` rows of every field.
fn fields(lead: &LeadDetail) -> Vec<(&'static str, String)> {
    let o = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let both = |utc: &Option<String>, local: &Option<String>| match (utc, local) {
        (Some(utc), Some(local)) => format!("{local} ({utc})"),
        _ => "—".into(),
    };
    vec![
        ("Submission id", lead.submission_id.clone()),
        ("Name", lead.name.clone()),
        ("Email", lead.email.clone()),
        ("Company", o(&lead.company)),
        ("Phone", o(&lead.phone)),
        ("Message", lead.message.clone()),
        ("Source", lead.source.clone()),
        ("utm_source", o(&lead.utm_source)),
        ("utm_medium", o(&lead.utm_medium)),
        ("utm_campaign", o(&lead.utm_campaign)),
        ("Referrer", o(&lead.referrer)),
        ("Landing path", o(&lead.landing_path)),
        ("Stage", lead.stage.as_str().to_owned()),
        (
            "Created",
            format!("{} ({})", lead.created_at_local, lead.created_at),
        ),
        ("Consented", lead.consented_at.clone()),
        ("Invited", both(&lead.invited_at, &lead.invited_at_local)),
        (
            "Booking status",
            lead.booking_status
                .map_or("—".into(), |s| s.as_str().to_owned()),
        ),
        ("Booking uid", o(&lead.booking_uid)),
        (
            "Booking start",
            both(&lead.booking_start, &lead.booking_start_local),
        ),
        (
            "Booking end",
            both(&lead.booking_end, &lead.booking_end_local),
        ),
        ("Attendee time zone", o(&lead.attendee_time_zone)),
        ("Location", o(&lead.location)),
        (
            "First booked",
            both(&lead.first_booked_at, &lead.first_booked_at_local),
        ),
        ("Reschedules", lead.reschedule_count.to_string()),
        ("Cancellation reason", o(&lead.cancellation_reason)),
        ("Last event", o(&lead.last_event)),
        (
            "Last event at",
            both(&lead.last_event_at, &lead.last_event_at_local),
        ),
    ]
}

#[component]
fn Lead(view: LeadView, erase: ServerAction<EraseLead>) -> impl IntoView {
    let lead = view.lead;
    let title = if lead.erased_at.is_some() {
        "Erased lead".to_owned()
    } else {
        lead.name.clone()
    };
    let rows = fields(&lead);
    view! {
        <TypedTitle text=title.clone() />
        <section class="hero owner-bar">
            <h1>{title}</h1>
            <p class="lede">
                <a href="/leads">"All leads"</a>
                {format!(" · times in {}", view.time_zone)}
            </p>
        </section>
        <dl class="lead-fields" data-testid="lead-fields">
            {rows
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                .collect_view()}
        </dl>
        <h2>"Timeline"</h2>
        <ol class="timeline" data-testid="timeline">
            {view.timeline.into_iter().map(|e| view! { <Entry entry=e /> }).collect_view()}
        </ol>
        <EraseSection lead erase />
    }
}

#[component]
fn Entry(entry: TimelineEntry) -> impl IntoView {
    let event_time = entry
        .event_created_at_local
        .map(|local| format!(" · Cal.com's time {local}"));
    view! {
        <li>
            <time datetime=entry.at>{entry.at_local}</time>
            " "
            <span>{entry.summary}</span>
            {event_time}
            {entry.by.map(|by| format!(" · {by}"))}
            {entry.body.map(|body| view! {
                <details>
                    <summary>"Stored body"</summary>
                    <pre>{body}</pre>
                </details>
            })}
        </li>
    }
}

#[component]
fn EraseSection(lead: LeadDetail, erase: ServerAction<EraseLead>) -> impl IntoView {
    if let Some(at) = lead.erased_at_local {
        return view! {
            <section class="erase" data-testid="erased">
                <h2>"Erased"</h2>
                <p>{format!("This lead's personal data was erased on {at}. Its counts stay in the dashboard.")}</p>
            </section>
        }
        .into_any();
    }
    let problem = move || match erase.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <section class="erase" data-testid="erase">
            <h2>"Erase personal data"</h2>
            <p>"Removes the name, email, phone, company, message and every stored copy of them. It cannot be undone; the lead still counts in the dashboard."</p>
            <ActionForm action=erase>
                <input type="hidden" name="submission_id" value=lead.submission_id />
                <div class="field">
                    <label for="confirm">"Type ERASE to confirm"</label>
                    <input id="confirm" name="confirm" type="text" required pattern="ERASE"
                        autocomplete="off" />
                </div>
                <p class="form-problem" role="alert">{problem}</p>
                <button type="submit" class="primary">"Erase this lead"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
