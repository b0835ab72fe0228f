//! `/dashboard`: the owners' view of bookings. The window and source live in the URL
//! (`?days=30`, `?from=…&to=…`, `&source=…`), so a link or a reload shows the same view; the
//! page is rendered on the server first, then changing the picker updates the numbers in place,
//! and a webhook applied anywhere refreshes them live. Anyone not signed in is sent to the
//! sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};

use crate::{
    api::{
        dashboard::load_dashboard,
        owner::{current_owner, SignOut},
    },
    components::{
        dashboard::{window_text, LostTable, SourcesTable, Tiles, TrendChart},
        OwnerFrame,
    },
    error::AppError,
    wire::{dashboard::DashboardReport, owner::OwnerView, review_url::encode as urlencode},
};

/// The view the URL asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ViewQuery {
    days: Option<String>,
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
}

impl ViewQuery {
    fn href(&self) -> String {
        let pairs: Vec<String> = [
            ("days", &self.days),
            ("from", &self.from),
            ("to", &self.to),
            ("source", &self.source),
        ]
        .into_iter()
        .filter_map(|(key, value)| {
            value
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={}", urlencode(v)))
        })
        .collect();
        if pairs.is_empty() {
            "/dashboard".to_owned()
        } else {
            format!("/dashboard?{}", pairs.join("&"))
        }
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let view_query = Memo::new(move |_| {
        query.with(|q| ViewQuery {
            days: q.get("days"),
            from: q.get("from"),
            to: q.get("to"),
            source: q.get("source"),
        })
    });
    let owner = Resource::new(|| (), |_| current_owner());
    let report = Resource::new(
        move || view_query.get(),
        |q| load_dashboard(q.from, q.to, q.days, q.source),
    );
    live_refresh(report);

    view! {
        <OwnerFrame>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (owner.await, report.await) {
                        (Ok(owner), Ok(report)) => {
                            view! { <Dashboard owner report query=view_query.get_untracked() /> }
                                .into_any()
                        }
                        (Err(AppError::Unauthenticated), _) | (_, Err(AppError::Unauthenticated)) => {
                            view! { <Redirect path="/signin?next=%2Fdashboard" /> }.into_any()
                        }
                        (_, Err(AppError::BadRequest(problem))) => view! {
                            <Title text="Dashboard" />
                            <p class="form-problem" role="alert">
                                {format!("That view cannot be shown: {problem}. ")}
                                <a href="/dashboard">"Show the last 30 days"</a>
                            </p>
                        }
                        .into_any(),
                        _ => view! {
                            <Title text="Something went wrong" />
                            <p class="form-problem" role="alert">
                                "The dashboard could not be loaded. Please reload it in a moment."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </OwnerFrame>
    }
}

#[component]
fn Dashboard(owner: OwnerView, report: DashboardReport, query: ViewQuery) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let trust = report.data_trust.clone();
    view! {
        <Title text="Dashboard" />
        <section class="hero owner-bar">
            <h1>"Bookings"</h1>
            <p class="lede">"Signed in as " <strong>{owner.email}</strong></p>
            <ActionForm action=sign_out attr:class="sign-out">
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </section>
        <Controls report=report.clone() query />
        <p class="window-note" data-testid="window">
            {format!(
                "{} compared with {}",
                window_text(&report.window),
                window_text(&report.prior),
            )}
            {report.source.clone().map(|s| format!(" · source {s}"))}
            {format!(" · days in {}", report.time_zone)}
        </p>
        {trust.reconciled.clone().map(|r| view! {
            <p class="window-note" data-testid="reconciled">
                {match (r.last_success_at_local, r.failing) {
                    (_, Some(why)) => format!("Checking Cal.com's bookings fails: {why}"),
                    (Some(at), None) => format!("Checked against Cal.com's bookings {at}"),
                    (None, None) => "Not checked against Cal.com's bookings yet".to_owned(),
                }}
            </p>
        })}
        {trust.needs_manual_confirm.then(|| view! {
            <section class="trust" role="note" data-testid="data-trust">
                <h2>"Outcome figures need a manual check"</h2>
                <ul>{trust.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                <p>"Completed and no-show numbers may be missing events until this is resolved."</p>
            </section>
        })}
        {trust.waiting_deliveries.clone().map(|waiting| view! {
            <section class="trust waiting" role="note" data-testid="spool-waiting">
                <h2>{format!(
                    "{} {} waiting for the database{}",
                    waiting.count,
                    if waiting.count == 1 { "delivery" } else { "deliveries" },
                    waiting.since_local.map(|t| format!(" since {t}")).unwrap_or_default(),
                )}</h2>
                <p>"Cal.com's deliveries are safe on the server's disk and will be counted as soon as the database takes them."</p>
            </section>
        })}
        <Tiles report=report.clone() />
        <h2>"Weekly trend"</h2>
        <TrendChart weeks=report.trend.clone() />
        <SourcesTable rows=report.sources.clone() />
        <LostTable rows=report.recent_lost.clone() time_zone=report.time_zone.clone() />
    }
}

/// The window picker and source filter. Without JavaScript it is a plain GET form; with it,
/// every change navigates in place (the URL changes, the page does not reload).
#[component]
fn Controls(report: DashboardReport, query: ViewQuery) -> impl IntoView {
    let navigate = use_navigate();
    let custom = query.from.is_some() && query.to.is_some();
    let days = if custom {
        "custom".to_owned()
    } else {
        query.days.clone().unwrap_or_else(|| "30".into())
    };
    let go = move |next: ViewQuery| {
        navigate(
            &next.href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_days = {
        let go = go.clone();
        let query = query.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            if value != "custom" {
                go(ViewQuery {
                    days: Some(value),
                    from: None,
                    to: None,
                    source: query.source.clone(),
                });
            }
        }
    };
    let from = RwSignal::new(if custom {
        report.window.from.to_string()
    } else {
        String::new()
    });
    let to = RwSignal::new(if custom {
        report.window.to.to_string()
    } else {
        String::new()
    });
    let on_dates = {
        let go = go.clone();
        let query = query.clone();
        move || {
            let (f, t) = (from.get_untracked(), to.get_untracked());
            if !f.is_empty() && !t.is_empty() {
                go(ViewQuery {
                    days: None,
                    from: Some(f),
                    to: Some(t),
                    source: query.source.clone(),
                });
            }
        }
    };
    let on_from = {
        let on_dates = on_dates.clone();
        move |ev: leptos::ev::Event| {
            from.set(event_target_value(&ev));
            on_dates();
        }
    };
    let on_to = move |ev: leptos::ev::Event| {
        to.set(event_target_value(&ev));
        on_dates();
    };
    let on_source = {
        let query = query.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(ViewQuery {
                source: (!value.is_empty()).then_some(value),
                ..query.clone()
            });
        }
    };
    let chosen_source = query.source.clone().unwrap_or_default();
    let mut sources: Vec<String> = report.sources.iter().map(|s| s.source.clone()).collect();
    if !chosen_source.is_empty() && !sources.contains(&chosen_source) {
        sources.push(chosen_source.clone());
    }
    let preset = |value: &'static str, label: &'static str| {
        view! { <option value=value selected=days == value>{label}</option> }
    };
    view! {
        <form class="controls" method="get" action="/dashboard" data-testid="controls">
            <div class="control">
                <label for="days">"Window"</label>
                <select id="days" name="days" on:change=on_days>
                    {preset("7", "Last 7 days")}
                    {preset("30", "Last 30 days")}
                    {preset("90", "Last 90 days")}
                    {preset("custom", "Custom range")}
                </select>
            </div>
            <div class="control">
                <label for="from">"From"</label>
                <input id="from" type="date" name="from" prop:value=from on:change=on_from />
            </div>
            <div class="control">
                <label for="to">"To"</label>
                <input id="to" type="date" name="to" prop:value=to on:change=on_to />
            </div>
            <div class="control">
                <label for="source">"Source"</label>
                <select id="source" name="source" on:change=on_source>
                    <option value="" selected=chosen_source.is_empty()>"All sources"</option>
                    {sources
                        .into_iter()
                        .map(|s| {
                            let selected = s == chosen_source;
                            view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">"Show"</button>
        </form>
    }
}

/// Refreshes the dashboard when the server says bookings changed (server-sent events from
/// `/api/owner/events`), at most a few times a second.
fn live_refresh(report: Resource<Result<DashboardReport, AppError>>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            crate::browser::live::on_change("/api/owner/events", move || report.refetch());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = report;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_the_view() {
        assert_eq!(ViewQuery::default().href(), "/dashboard");
        let query = ViewQuery {
            days: None,
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            source: Some("partner site & co".into()),
        };
        assert_eq!(
            query.href(),
            "/dashboard?from=2026-11-01&to=2026-11-30&source=partner%20site%20%26%20co"
        );
    }
}
