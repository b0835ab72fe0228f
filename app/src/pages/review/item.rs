//! One item of the review queue: what it is about (the lead; for deliveries and held events
//! the trigger, booking, attendee, slot and body) and its actions, each a form.

use leptos::prelude::*;

use super::{labels, shared::Shared};
use crate::{
    domain::review::{ActionName, ItemKind},
    wire::{
        review::{ItemLead, ReviewItem},
        review_url::encode,
    },
};

#[component]
pub fn ItemCard(item: ReviewItem, shared: Shared) -> impl IntoView {
    let lead = item.lead.clone();
    let delivery = item.delivery.clone().unwrap_or_default();
    let has_delivery = item.delivery.is_some();
    let body = delivery.body.clone();
    let (id, kind, reason) = (item.id.clone(), item.kind, labels::sentence(&item.reason));
    let (created_at, created_at_local) = (item.created_at.clone(), item.created_at_local.clone());
    let id_attr = id.clone();
    let dash = || "—".to_owned();
    let trigger = item.trigger.clone().unwrap_or_else(dash);
    let booking_uid = item.booking_uid.clone().unwrap_or_else(dash);
    let slot = delivery.slot_start_local.clone().unwrap_or_else(dash);
    let who = attendee(
        delivery.attendee_name.clone(),
        delivery.attendee_email.clone(),
    );
    // Items reconciliation raised carry Cal.com's JSON of a booking, not a delivery.
    let from_api = matches!(kind, ItemKind::UnlinkedBooking | ItemKind::CalcomMismatch);
    view! {
        <article
            class="review-item"
            data-testid="review-item"
            data-item-id=id_attr
            data-kind=kind.as_str()
        >
            <header class="item-head">
                <span class="kind-badge">{labels::kind_one(kind)}</span>
                <h2 class="item-reason">{reason}</h2>
                <p class="item-when">
                    "Raised " <time datetime=created_at>{created_at_local}</time>
                    " · " <code>{id}</code>
                </p>
            </header>
            <dl class="item-facts">
                {lead.map(|lead| view! { <LeadFacts lead /> })}
                {has_delivery.then(|| view! {
                    {(!from_api).then(|| view! {
                        <div><dt>"Trigger"</dt><dd><code>{trigger}</code></dd></div>
                    })}
                    <div><dt>"Booking uid"</dt><dd><code data-testid="booking-uid">{booking_uid}</code></dd></div>
                    <div><dt>"Attendee"</dt><dd data-testid="attendee">{who}</dd></div>
                    <div><dt>"Slot"</dt><dd>{slot}</dd></div>
                })}
            </dl>
            {body.map(|body| view! {
                <details class="item-body">
                    <summary>
                        {if from_api {
                            "The booking as Cal.com's API listed it"
                        } else {
                            "The body as received"
                        }}
                    </summary>
                    <pre>{body}</pre>
                </details>
            })}
            <Actions item shared />
        </article>
    }
    .into_any()
}

#[component]
fn LeadFacts(lead: ItemLead) -> impl IntoView {
    let last = match (lead.last_action, lead.last_action_at_local) {
        (Some(action), Some(at)) => format!("{action}, {at}"),
        (Some(action), None) => action,
        _ => "none yet".to_owned(),
    };
    view! {
        <div><dt>"Lead"</dt><dd data-testid="lead-name">{lead.name}</dd></div>
        <div><dt>"Source"</dt><dd>{lead.source}</dd></div>
        <div><dt>"Stage"</dt><dd>{labels::stage(lead.stage)}</dd></div>
        <div><dt>"Last action"</dt><dd>{last}</dd></div>
        <div>
            <dt>"Contact"</dt>
            <dd>
                <a href=format!("mailto:{}", lead.email)>{lead.email.clone()}</a>
                {lead.phone.map(|phone| view! { " · " <a href=format!("tel:{phone}")>{phone.clone()}</a> })}
            </dd>
        </div>
    }
}

fn attendee(name: Option<String>, email: Option<String>) -> String {
    match (name, email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => "—".to_owned(),
    }
}

/// The item's id and the action, as every action form posts them.
fn hidden(id: &str, action: ActionName) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id.to_owned() />
        <input type="hidden" name="action" value=action.as_str() />
    }
}

#[component]
fn Actions(item: ReviewItem, shared: Shared) -> impl IntoView {
    let act = shared.act;
    let id = item.id.clone();
    let email = item.lead.as_ref().map(|l| l.email.clone());
    let attendee_email = item
        .delivery
        .as_ref()
        .and_then(|d| d.attendee_email.clone());
    let forms = item
        .actions
        .iter()
        .map(|&action| {
            let fields = hidden(&id, action);
            match action {
            ActionName::Link => {
                view! { <FindLead id=id.clone() prefill=attendee_email.clone() shared /> }
                    .into_any()
            }
            ActionName::Discard | ActionName::Dismiss => view! {
                <ActionForm action=act attr:class="inline-action">
                    {fields}
                    <label class="reason">
                        "Reason"
                        <input type="text" name="reason" required maxlength="500" />
                    </label>
                    <button type="submit" class="secondary">{labels::action_label(action)}</button>
                </ActionForm>
            }
            .into_any(),
            ActionName::Snooze => view! {
                <ActionForm action=act attr:class="inline-action">
                    {fields}
                    <label class="days">
                        "Days"
                        <input type="number" name="days" value="7" min="1" max="365" required />
                    </label>
                    <button type="submit" class="secondary">{labels::action_label(action)}</button>
                </ActionForm>
            }
            .into_any(),
            ActionName::MarkCompleted
            | ActionName::MarkNoShow
            | ActionName::Reproject
            | ActionName::TakeCalcom => view! {
                <ActionForm action=act attr:class="inline-action">
                    {fields}
                    <button type="submit" class="secondary">{labels::action_label(action)}</button>
                </ActionForm>
            }
            .into_any(),
        }
        })
        .collect_view();
    let follow_up = (item.kind == ItemKind::NotBooked)
        .then_some(email)
        .flatten()
        .map(|email| {
            let subject = encode("Following up on your request");
            let href = format!(
                "mailto:{}?subject={subject}",
                encode(&email).replace("%40", "@")
            );
            view! { <a class="follow-up" href=href>"Write to them"</a> }
        });
    view! { <div class="item-actions">{follow_up}{forms}</div> }
}

/// "Find a lead": a search (name, email or submission id; the attendee's email to start
/// with) that reloads the page with the leads it found, each with a button to link the item
/// to it.
#[component]
fn FindLead(id: String, prefill: Option<String>, shared: Shared) -> impl IntoView {
    let query = shared.query.get_untracked();
    let searching = query.find.as_deref() == Some(id.as_str());
    let text = (if searching { query.q.clone() } else { prefill }).unwrap_or_default();
    let act = shared.act;
    let results = searching.then(|| {
        let id = id.clone();
        view! {
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || {
                    let id = id.clone();
                    Suspend::new(async move {
                        match shared.matches.await {
                            Ok(Some(found)) if found.is_empty() => view! {
                                <p class="no-matches" data-testid="no-matches">"No lead matches that."</p>
                            }
                            .into_any(),
                            Ok(Some(found)) => view! {
                                <ul class="lead-matches" data-testid="lead-matches">
                                    {found
                                        .into_iter()
                                        .map(|lead| {
                                            let fields = hidden(&id, ActionName::Link);
                                            view! {
                                            <li data-testid="lead-match">
                                                <span class="match-who">
                                                    <strong>{lead.name}</strong> " · " {lead.email}
                                                </span>
                                                <span class="match-more">
                                                    {format!("{} · {} · came in {}", lead.source, labels::stage(lead.stage), lead.created_at_local)}
                                                </span>
                                                <ActionForm action=act attr:class="inline-action">
                                                    {fields}
                                                    <input type="hidden" name="submission_id" value=lead.submission_id />
                                                    <button type="submit" class="primary small">"Link and apply"</button>
                                                </ActionForm>
                                            </li>
                                        }})
                                        .collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Ok(None) => ().into_any(),
                            Err(error) => view! {
                                <p class="form-problem" role="alert">{format!("The search failed: {error}")}</p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        }
    });
    view! {
        <div class="find-lead">
            <form method="get" action="/review" role="search" class="inline-action">
                {query.kind.clone().map(|kind| view! { <input type="hidden" name="kind" value=kind /> })}
                {query.cursor.clone().map(|cursor| view! { <input type="hidden" name="cursor" value=cursor /> })}
                <input type="hidden" name="find" value=id.clone() />
                <label class="search">
                    "Find a lead"
                    <input type="search" name="q" value=text placeholder="Name, email or submission id" />
                </label>
                <button type="submit" class="secondary">"Search"</button>
            </form>
            {results}
        </div>
    }
}
