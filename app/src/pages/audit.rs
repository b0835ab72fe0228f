//! `/audit`: every owner action, newest first, a page at a time (`?cursor=`): who, when (in
//! the business's time zone), what, on which item and lead, and the lead's stage before and
//! after. Anyone not signed in is sent to the sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::load_problem::{load_problem, PageProblems};
use crate::{
    api::audit::load_audit,
    components::OwnerFrame,
    domain::{booking::Stage, review::ActionName},
    wire::{
        review::{AuditEntry, AuditScreen},
        review_url::encode,
    },
};

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let params = use_query_map();
    let cursor = Memo::new(move |_| params.with(|p| p.get("cursor")));
    let screen = Resource::new(move || cursor.get(), load_audit);
    view! {
        <OwnerFrame>
            <Title text="Audit trail" />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(screen) => view! { <Trail screen /> }.into_any(),
                        Err(error) => load_problem(error, PageProblems {
                            path: "/audit",
                            refused: "That page cannot be shown",
                            start_over: "Show the latest actions",
                            failed: "The audit trail could not be loaded. Please reload it in a moment.",
                        }),
                    }
                })}
            </Transition>
        </OwnerFrame>
    }
}

#[component]
fn Trail(screen: AuditScreen) -> impl IntoView {
    let page = screen.page;
    let empty = page.entries.is_empty();
    let next = page
        .next_cursor
        .map(|cursor| format!("/audit?cursor={}", encode(&cursor)));
    view! {
        <section class="hero owner-bar">
            <h1>"Audit trail"</h1>
            <p class="lede">{format!("Every owner action, newest first · times in {}", screen.time_zone)}</p>
        </section>
        <div class="table-scroll">
            <table class="data audit" data-testid="audit">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Item"</th>
                        <th scope="col">"Lead"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Detail"</th>
                    </tr>
                </thead>
                <tbody>
                    {empty.then(|| view! { <tr><td colspan="7">"No owner action yet."</td></tr> })}
                    {page.entries.into_iter().map(|entry| view! { <Entry entry /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {next.map(|href| view! { <p class="pager"><a href=href rel="next">"Next page"</a></p> })}
    }
}

#[component]
fn Entry(entry: AuditEntry) -> impl IntoView {
    let stage = |s: Option<Stage>| s.map_or("—", Stage::as_str);
    let stages = match (entry.stage_before, entry.stage_after) {
        (None, None) => "—".to_owned(),
        (before, after) => format!("{} → {}", stage(before), stage(after)),
    };
    let action = ActionName::parse(&entry.action)
        .map_or(entry.action.clone(), |a| action_words(a).to_owned());
    view! {
        <tr data-testid="audit-entry">
            <td><time datetime=entry.at>{entry.at_local}</time></td>
            <td>{entry.owner}</td>
            <td data-action=entry.action.clone()>{action}</td>
            <td><code>{entry.item_id.unwrap_or_else(|| "—".into())}</code></td>
            <td>
                {match entry.submission_id {
                    Some(id) => view! {
                        <a href=format!("/leads/{id}")><code>{short(&id)}</code></a>
                    }
                    .into_any(),
                    None => "—".into_any(),
                }}
            </td>
            <td class="stages">{stages}</td>
            <td>{entry.detail.unwrap_or_default()}</td>
        </tr>
    }
}

fn action_words(action: ActionName) -> &'static str {
    match action {
        ActionName::Link => "linked and applied",
        ActionName::Discard => "discarded",
        ActionName::MarkCompleted => "marked completed",
        ActionName::MarkNoShow => "marked no-show",
        ActionName::Reproject => "re-projected",
        ActionName::Dismiss => "dismissed",
        ActionName::Snooze => "snoozed",
        ActionName::TakeCalcom => "took Cal.com's state",
    }
}

/// The first block of a submission id, enough to tell leads apart in a table.
fn short(id: &str) -> String {
    id.split('-').next().unwrap_or(id).to_owned()
}
