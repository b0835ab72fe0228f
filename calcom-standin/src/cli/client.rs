//! The CLI subcommands that drive a running stand-in through its control API and print the
//! JSON answer.

use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::{json, Map, Value};

use super::args::{ActionArgs, BookArgs, Command, DeliveryFlags, FailSetting, Remote};
use crate::config::SettingsUpdate;

/// Runs a non-`serve` subcommand; the answer is the JSON the stand-in returned.
pub async fn run(command: &Command) -> anyhow::Result<Value> {
    if let Some((action, args)) = command.action() {
        let path = format!(
            "/standin/api/bookings/{}/{}",
            segment(&args.uid),
            action.as_str()
        );
        return post(&args.remote, &path, action_body(args)).await;
    }
    match command {
        Command::List(remote) => get(remote, "/standin/api/bookings").await,
        Command::Deliveries(remote) => get(remote, "/standin/api/deliveries").await,
        Command::Book(args) => post(&args.remote, "/standin/api/bookings", book_body(args)).await,
        Command::Flush(args) => {
            let body = json!({ "reverse": args.reverse });
            post(&args.remote, "/standin/api/outbox/flush", body).await
        }
        Command::Ping(args) => {
            post(&args.remote, "/standin/api/ping", delivery(&args.delivery)).await
        }
        Command::Fail(args) => {
            let update = match args.mode {
                FailSetting::EmbedScript => SettingsUpdate {
                    fail_embed_script: Some(true),
                    ..SettingsUpdate::default()
                },
                FailSetting::Links => SettingsUpdate {
                    fail_links: Some(true),
                    ..SettingsUpdate::default()
                },
                FailSetting::None => SettingsUpdate {
                    fail_embed_script: Some(false),
                    fail_links: Some(false),
                    ..SettingsUpdate::default()
                },
            };
            post(&args.remote, "/standin/api/settings", json!(update)).await
        }
        Command::Seed(args) => {
            let mut body = json!({ "count": args.count });
            for (key, value) in [
                ("metadata_prefix", &args.metadata_prefix),
                ("start", &args.start),
                ("link", &args.link),
            ] {
                if let Some(value) = value {
                    body[key] = json!(value);
                }
            }
            post(&args.remote, "/standin/api/seed", body).await
        }
        _ => bail!("not a client command"),
    }
}

fn delivery(flags: &DeliveryFlags) -> Value {
    let mut body = Map::new();
    let mut flag = |name: &str, on: bool| {
        if on {
            body.insert(name.into(), json!(true));
        }
    };
    flag("twice", flags.twice);
    flag("mis_sign", flags.mis_sign);
    flag("hold", flags.hold);
    flag("drop", flags.drop);
    if let Some(delay) = flags.delay_ms {
        body.insert("delay_ms".into(), json!(delay));
    }
    Value::Object(body)
}

fn book_body(args: &BookArgs) -> Value {
    let mut body = delivery(&args.delivery);
    body["name"] = json!(args.name);
    body["email"] = json!(args.email);
    body["requiresConfirmation"] = json!(args.requires_confirmation);
    body["loseMetadata"] = json!(args.lose_metadata);
    if let Some(id) = &args.submission_id {
        body["metadata"] = json!({ "submissionId": id });
    }
    for (key, value) in [
        ("start", &args.start),
        ("link", &args.link),
        ("timeZone", &args.time_zone),
    ] {
        if let Some(value) = value {
            body[key] = json!(value);
        }
    }
    body
}

fn action_body(args: &ActionArgs) -> Value {
    let mut body = delivery(&args.delivery);
    if let Some(reason) = &args.reason {
        body["reason"] = json!(reason);
    }
    if let Some(start) = &args.start {
        body["start"] = json!(start);
    }
    if args.flat {
        body["flat"] = json!(true);
    }
    if args.force {
        body["force"] = json!(true);
    }
    body
}

/// A uid as one path segment (uids are base58; anything else is escaped).
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .context("cannot build the HTTP client")
}

async fn get(remote: &Remote, path: &str) -> anyhow::Result<Value> {
    let url = format!("{}{path}", remote.standin.trim_end_matches('/'));
    answer(&url, client()?.get(&url).send().await).await
}

async fn post(remote: &Remote, path: &str, body: Value) -> anyhow::Result<Value> {
    let url = format!("{}{path}", remote.standin.trim_end_matches('/'));
    let request = client()?
        .post(&url)
        .header("content-type", "application/json")
        .body(body.to_string());
    answer(&url, request.send().await).await
}

async fn answer(
    url: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> anyhow::Result<Value> {
    let response = response.with_context(|| {
        format!("cannot reach the stand-in at {url} (is `calcom-standin serve` running? set --standin or STANDIN_URL)")
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .with_context(|| format!("no answer from {url}"))?;
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|_| json!(text));
    if !status.is_success() {
        let detail = value
            .get("error")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        bail!("{url} answered {status}: {detail}");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_uids_stay_one_path_segment() {
        assert_eq!(segment("k7QZ3n9X"), "k7QZ3n9X");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }
}
