//! `GET /standin/demo?link=&ns=&name=&email=&submissionId=&rescheduleUid=`: a page that embeds the booker with
//! the real embed script and Cal.com's loader snippet, logging every embed event.

use axum::{
    extract::{Query, State},
    response::Html,
};
use serde::Deserialize;

use super::html::escape;
use crate::standin::Standin;

const PAGE: &str = include_str!("assets/demo.html");

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DemoQuery {
    link: Option<String>,
    ns: Option<String>,
    name: String,
    email: String,
    submission_id: String,
    reschedule_uid: String,
}

pub async fn page(State(standin): State<Standin>, Query(query): Query<DemoQuery>) -> Html<String> {
    let config = &standin.config;
    let link = query
        .link
        .or_else(|| config.links.first().map(|l| l.link.clone()))
        .unwrap_or_default();
    let ns = query.ns.unwrap_or_else(|| "booking".into());
    Html(
        PAGE.replace("{{ORIGIN}}", &escape(&config.public_origin))
            .replace("{{LINK}}", &escape(&link))
            .replace("{{NS}}", &escape(&ns))
            .replace("{{NAME}}", &escape(&query.name))
            .replace("{{EMAIL}}", &escape(&query.email))
            .replace("{{SUBMISSION_ID}}", &escape(&query.submission_id))
            .replace("{{RESCHEDULE_UID}}", &escape(&query.reschedule_uid)),
    )
}
