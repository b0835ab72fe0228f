//! `/leads`: the owners' lead list. The filters are a plain GET form (it works without
//! JavaScript), so the view lives in the URL; "Next page" is a link carrying the cursor, and
//! "Download CSV" the same view as `/api/leads?…&format=csv`. Anyone not signed in is sent
//! to the sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::load_problem::{load_problem, PageProblems};
use crate::wire::review_url::encode as urlencode;
use crate::{
    api::leads::list_leads,
    components::OwnerFrame,
    domain::booking::Stage,
    wire::leads::{LeadPage, LeadSummary},
};

/// The filters the URL names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Filters {
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    stage: Option<String>,
    q: Option<String>,
}

impl Filters {
    /// The query string of these filters (and `extra` pairs), without the `?`.
    fn query(&self, extra: &[(&str, &str)]) -> String {
        [
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("source", self.source.as_deref()),
            ("stage", self.stage.as_deref()),
            ("q", self.q.as_deref()),
        ]
        .into_iter()
        .chain(extra.iter().map(|(k, v)| (*k, Some(*v))))
        .filter_map(|(key, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={}", urlencode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }

    fn href(&self, path: &str, extra: &[(&str, &str)]) -> String {
        match self.query(extra) {
            query if query.is_empty() => path.to_owned(),
            query => format!("{path}?{query}"),
        }
    }
}

#[component]
pub fn LeadsPage() -> impl IntoView {
    let query = use_query_map();
    let view = Memo::new(move |_| {
        query.with(|q| {
            (
                Filters {
                    from: q.get("from"),
                    to: q.get("to"),
                    source: q.get("source"),
                    stage: q.get("stage"),
                    q: q.get("q"),
                },
                q.get("cursor"),
            )
        })
    });
    let page = Resource::new(
        move || view.get(),
        |(f, cursor)| list_leads(f.from, f.to, f.source, f.stage, f.q, cursor),
    );
    view! {
        <OwnerFrame>
            <Title text="Leads" />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (filters, _) = view.get_untracked();
                    match page.await {
                        Ok(page) => view! { <Leads page filters /> }.into_any(),
                        Err(error) => load_problem(error, PageProblems {
                            path: "/leads",
                            refused: "That view cannot be shown",
                            start_over: "Show every lead",
                            failed: "The leads could not be loaded. Please reload the page in a moment.",
                        }),
                    }
                })}
            </Transition>
        </OwnerFrame>
    }
}

#[component]
fn Leads(page: LeadPage, filters: Filters) -> impl IntoView {
    let csv = filters.href("/api/leads", &[("format", "csv")]);
    let next = page
        .next_cursor
        .as_deref()
        .map(|cursor| filters.href("/leads", &[("cursor", cursor)]));
    let empty = page.leads.is_empty();
    view! {
        <section class="hero owner-bar">
            <h1>"Leads"</h1>
            <p class="lede">{format!("Newest first · days and times in {}", page.time_zone)}</p>
        </section>
        <FilterForm filters=filters.clone() />
        <p class="window-note">
            <a href=csv rel="external" download="" data-testid="download-csv">"Download CSV"</a>
            " of this view"
        </p>
        {if empty {
            view! { <p data-testid="no-leads">"No leads match this view."</p> }.into_any()
        } else {
            view! { <LeadTable leads=page.leads /> }.into_any()
        }}
        {next.map(|href| view! {
            <p><a href=href rel="next" data-testid="next-page">"Next page"</a></p>
        })}
    }
}

#[component]
fn FilterForm(filters: Filters) -> impl IntoView {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let chosen = value(&filters.stage);
    view! {
        <form class="controls" method="get" action="/leads" data-testid="lead-filters">
            <div class="control">
                <label for="from">"From"</label>
                <input id="from" type="date" name="from" value=value(&filters.from) />
            </div>
            <div class="control">
                <label for="to">"To"</label>
                <input id="to" type="date" name="to" value=value(&filters.to) />
            </div>
            <div class="control">
                <label for="source">"Source"</label>
                <input id="source" type="text" name="source" value=value(&filters.source) />
            </div>
            <div class="control">
                <label for="stage">"Stage"</label>
                <select id="stage" name="stage">
                    <option value="" selected=chosen.is_empty()>"Any stage"</option>
                    {Stage::ALL
                        .into_iter()
                        .map(|s| {
                            let name = s.as_str();
                            view! { <option value=name selected=chosen == name>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="control">
                <label for="q">"Search"</label>
                <input id="q" type="search" name="q" value=value(&filters.q)
                    placeholder="name, email or company" />
            </div>
            <button type="submit" class="secondary">"Show"</button>
        </form>
    }
}

#[component]
fn LeadTable(leads: Vec<LeadSummary>) -> impl IntoView {
    view! {
        <table class="data" data-testid="lead-table">
            <thead>
                <tr>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Company"</th>
                    <th scope="col">"Phone"</th>
                    <th scope="col">"Source"</th>
                    <th scope="col">"Stage"</th>
                    <th scope="col">"Booking"</th>
                </tr>
            </thead>
            <tbody>
                {leads
                    .into_iter()
                    .map(|lead| {
                        let href = format!("/leads/{}", lead.submission_id);
                        let name = if lead.erased { "(erased)".to_owned() } else { lead.name };
                        view! {
                            <tr>
                                <td><time datetime=lead.created_at>{lead.created_at_local}</time></td>
                                <td><a href=href>{name}</a></td>
                                <td>{lead.email}</td>
                                <td>{lead.company}</td>
                                <td>{lead.phone}</td>
                                <td>{lead.source}</td>
                                <td>{lead.stage.as_str()}</td>
                                <td>{lead.booking_start_local}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_view() {
        let filters = Filters {
            q: Some("ana k".into()),
            stage: Some("booked".into()),
            ..Filters::default()
        };
        assert_eq!(
            filters.href("/api/leads", &[("format", "csv")]),
            "/api/leads?stage=booked&q=ana%20k&format=csv"
        );
        assert_eq!(Filters::default().href("/leads", &[]), "/leads");
    }
}
