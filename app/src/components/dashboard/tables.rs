//! The source breakdown and the latest no-shows and cancellations.

use leptos::prelude::*;

use super::format;
use crate::{
    domain::booking::Stage,
    wire::dashboard::{LostLead, SourceRow},
};

#[component]
pub fn SourcesTable(rows: Vec<SourceRow>) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <table class="data" data-testid="sources">
            <caption>"By source"</caption>
            <thead>
                <tr>
                    <th scope="col">"Source"</th>
                    <th scope="col" class="num">"Leads"</th>
                    <th scope="col" class="num">"Booked"</th>
                    <th scope="col" class="num">"Book rate"</th>
                    <th scope="col" class="num">"No-show rate"</th>
                </tr>
            </thead>
            <tbody>
                {empty.then(|| view! { <tr><td colspan="5">"No leads in this window."</td></tr> })}
                {rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr>
                                <th scope="row">{row.source}</th>
                                <td class="num">{row.leads}</td>
                                <td class="num">{row.booked}</td>
                                <td class="num">{format::percent(row.book_rate)}</td>
                                <td class="num">{format::percent(row.no_show_rate)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn LostTable(rows: Vec<LostLead>, time_zone: String) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <table class="data" data-testid="recent-lost">
            <caption>"Latest no-shows and cancellations"</caption>
            <thead>
                <tr>
                    <th scope="col">"Lead"</th>
                    <th scope="col">"Contact"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">{format!("Slot ({time_zone})")}</th>
                    <th scope="col">"Source"</th>
                </tr>
            </thead>
            <tbody>
                {empty.then(|| view! { <tr><td colspan="5">"None yet."</td></tr> })}
                {rows
                    .into_iter()
                    .map(|lead| {
                        let outcome = match (lead.stage, lead.cancellation_reason) {
                            (Stage::NoShow, _) => "No-show".to_owned(),
                            (_, Some(reason)) if !reason.is_empty() => format!("Cancelled: {reason}"),
                            _ => "Cancelled".to_owned(),
                        };
                        let slot = lead
                            .booking_start_local
                            .unwrap_or_else(|| format::NONE.to_owned());
                        view! {
                            <tr>
                                <td>{lead.name}</td>
                                <td>
                                    <a href=format!("mailto:{}", lead.email)>{lead.email.clone()}</a>
                                    {lead.phone.map(|phone| view! { <br /> <a href=format!("tel:{phone}")>{phone.clone()}</a> })}
                                </td>
                                <td>{outcome}</td>
                                <td>{slot}</td>
                                <td>{lead.source}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
