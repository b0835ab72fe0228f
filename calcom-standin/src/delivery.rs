//! Sending webhooks as Cal.com does (`POST`, `Content-Type: application/json`, the body's
//! lowercase hex HMAC in `X-Cal-Signature-256`, no redirects followed, no retries), and the
//! ways a test can spoil a delivery: twice, mis-signed, held for later, delayed or dropped.
//! Every attempt and its answer is logged in the [`DeliveryLog`].

use std::time::Duration;

use app::ssr::calcom::signature::{sign, SIGNATURE_HEADER};
use serde::{Deserialize, Serialize};

use crate::{
    config::Settings,
    delivery_log::{DeliveryLog, DeliveryRecord, DeliveryState},
    webhook::Webhook,
};

/// Newer Cal.com releases name the body version; the only one defined.
const VERSION_HEADER: &str = "x-cal-webhook-version";
const VERSION: &str = "2021-10-20";

/// Longest answer body kept per delivery.
const ANSWER_KEPT: usize = 2_000;

/// How to deliver the webhooks of one request.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DeliveryOptions {
    /// Send the identical bytes twice.
    pub twice: bool,
    /// Sign with a wrong secret.
    #[serde(alias = "misSign")]
    pub mis_sign: bool,
    /// Keep in the outbox until flushed.
    pub hold: bool,
    /// Send later; the request answers at once.
    #[serde(alias = "delayMs")]
    pub delay_ms: Option<u64>,
    /// Log but never send.
    pub drop: bool,
}

/// Where deliveries go and how they are signed.
#[derive(Clone, Debug)]
pub struct Target {
    pub client: reqwest::Client,
    pub url: String,
    pub secret: String,
}

/// Delivers `webhooks` as `options` say, `defaults` filling in what they leave open; returns
/// their records (final unless delayed).
pub async fn dispatch(
    target: &Target,
    log: &DeliveryLog,
    webhooks: Vec<Webhook>,
    options: &DeliveryOptions,
    defaults: &Settings,
) -> Vec<DeliveryRecord> {
    let (all, ids, delay) = {
        let mut deliveries = log.lock();
        let drop = options.drop || defaults.drop_webhooks;
        let delay = options.delay_ms.unwrap_or(defaults.webhook_delay_ms);
        let state = if drop {
            DeliveryState::Dropped
        } else if options.hold {
            DeliveryState::Held
        } else if delay > 0 {
            DeliveryState::Scheduled
        } else {
            DeliveryState::Sending
        };
        let secret = if options.mis_sign {
            format!("not-{}", target.secret)
        } else {
            target.secret.clone()
        };
        let copies = if options.twice { 2 } else { 1 };
        let (mut all, mut ids) = (Vec::new(), Vec::new());
        for webhook in &webhooks {
            let signature = sign(&secret, webhook.body.as_bytes());
            for _ in 0..copies {
                let id = deliveries.record(DeliveryRecord {
                    id: 0,
                    trigger: webhook.trigger.clone(),
                    booking_uid: webhook.booking_uid.clone(),
                    state,
                    signed_with_secret: !options.mis_sign,
                    signature: signature.clone(),
                    status: None,
                    answer: None,
                    error: None,
                    body: webhook.body.clone(),
                });
                all.push(id);
                if state == DeliveryState::Held {
                    deliveries.outbox.push(id);
                }
                if matches!(state, DeliveryState::Sending | DeliveryState::Scheduled) {
                    ids.push(id);
                }
            }
        }
        (all, ids, (delay > 0).then_some(delay))
    };

    match delay {
        Some(delay) => {
            let (target, log, sending) = (target.clone(), log.clone(), ids.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                send_all(&target, &log, &sending).await;
            });
        }
        None => send_all(target, log, &ids).await,
    }
    records(log, &all)
}

/// Sends every held delivery, oldest first or (`reverse`) newest first.
pub async fn flush(target: &Target, log: &DeliveryLog, reverse: bool) -> Vec<DeliveryRecord> {
    let mut ids = std::mem::take(&mut log.lock().outbox);
    if reverse {
        ids.reverse();
    }
    send_all(target, log, &ids).await;
    records(log, &ids)
}

fn records(log: &DeliveryLog, ids: &[u64]) -> Vec<DeliveryRecord> {
    let deliveries = log.lock();
    ids.iter()
        .filter_map(|id| deliveries.get(*id).cloned())
        .collect()
}

/// Sends the logged deliveries `ids` one after the other, in that order.
async fn send_all(target: &Target, log: &DeliveryLog, ids: &[u64]) {
    for &id in ids {
        let request = {
            let mut deliveries = log.lock();
            deliveries.get_mut(id).map(|record| {
                record.state = DeliveryState::Sending;
                (record.body.clone(), record.signature.clone())
            })
        };
        let Some((body, signature)) = request else {
            continue;
        };
        let result = post(target, body, &signature).await;
        if let Some(record) = log.lock().get_mut(id) {
            match result {
                Ok((status, answer)) => {
                    record.state = DeliveryState::Sent;
                    record.status = Some(status);
                    record.answer = Some(answer);
                }
                Err(error) => {
                    record.state = DeliveryState::Failed;
                    record.error = Some(error);
                }
            }
        }
    }
}

async fn post(target: &Target, body: String, signature: &str) -> Result<(u16, String), String> {
    let url = &target.url;
    let response = target
        .client
        .post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature)
        .header(VERSION_HEADER, VERSION)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {}", error_chain(&e)))?;
    let status = response.status().as_u16();
    let answer = response.text().await.unwrap_or_default();
    tracing::info!(status, %url, "webhook delivered");
    Ok((status, answer.chars().take(ANSWER_KEPT).collect()))
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
