//! The dashboard's forms, `POST /standin/ui/…`: each does what the control API does and
//! redirects back to `/standin` with a one-line note.

use axum::{
    extract::{Path, State},
    response::Redirect,
    Form,
};
use jiff::Timestamp;
use serde::Deserialize;

use crate::{
    actions::{self, Action, ActionInput, NewBooking},
    config::SettingsUpdate,
    delivery::DeliveryOptions,
    delivery_log::DeliveryRecord,
    standin::Standin,
};

/// A checkbox: present (any value) when ticked.
type Tick = Option<String>;

#[derive(Debug, Deserialize)]
pub struct BookForm {
    name: String,
    email: String,
    #[serde(default)]
    submission_id: String,
    #[serde(default)]
    start: String,
    requires_confirmation: Tick,
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    start: String,
    flat: Tick,
    force: Tick,
    twice: Tick,
    mis_sign: Tick,
    hold: Tick,
    drop: Tick,
}

#[derive(Debug, Deserialize)]
pub struct FlushForm {
    reverse: Tick,
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    fail_embed_script: Tick,
    fail_links: Tick,
    drop_webhooks: Tick,
    #[serde(default)]
    webhook_delay_ms: String,
}

pub async fn book(State(standin): State<Standin>, Form(form): Form<BookForm>) -> Redirect {
    let mut new = NewBooking {
        name: form.name,
        email: form.email,
        start: Some(form.start),
        requires_confirmation: form.requires_confirmation.is_some(),
        ..NewBooking::default()
    };
    if !form.submission_id.trim().is_empty() {
        new.metadata
            .insert("submissionId".into(), form.submission_id.trim().into());
    }
    let outcome = {
        let mut store = standin.store();
        actions::create(&mut store, &standin.config, new, Timestamp::now())
    };
    let note = match outcome {
        Ok(outcome) => {
            let uid = outcome.booking.uid.clone();
            let sent = standin
                .dispatch(outcome.webhooks, &DeliveryOptions::default())
                .await;
            format!("booked {uid}: {}", summary(&sent))
        }
        Err(error) => format!("not booked: {error}"),
    };
    back(&standin, note)
}

pub async fn act(
    State(standin): State<Standin>,
    Path(uid): Path<String>,
    Form(form): Form<ActForm>,
) -> Redirect {
    let options = DeliveryOptions {
        twice: form.twice.is_some(),
        mis_sign: form.mis_sign.is_some(),
        hold: form.hold.is_some(),
        delay_ms: None,
        drop: form.drop.is_some(),
    };
    let input = ActionInput {
        reason: Some(form.reason).filter(|r| !r.trim().is_empty()),
        start: Some(form.start),
        flat: form.flat.is_some(),
        force: form.force.is_some(),
    };
    let outcome = form.action.parse::<Action>().and_then(|action| {
        let mut store = standin.store();
        actions::act(
            &mut store,
            &standin.config,
            &uid,
            action,
            input,
            Timestamp::now(),
        )
    });
    let note = match outcome {
        Ok(outcome) => {
            let sent = standin.dispatch(outcome.webhooks, &options).await;
            format!("{} {uid}: {}", form.action, summary(&sent))
        }
        Err(error) => format!("{} {uid} refused: {error}", form.action),
    };
    back(&standin, note)
}

pub async fn flush(State(standin): State<Standin>, Form(form): Form<FlushForm>) -> Redirect {
    let sent = standin.flush(form.reverse.is_some()).await;
    let note = format!("flushed: {}", summary(&sent));
    back(&standin, note)
}

pub async fn ping(State(standin): State<Standin>) -> Redirect {
    let webhook = actions::ping(&mut standin.store(), Timestamp::now());
    let sent = standin
        .dispatch(vec![webhook], &DeliveryOptions::default())
        .await;
    let note = format!("ping: {}", summary(&sent));
    back(&standin, note)
}

pub async fn settings(State(standin): State<Standin>, Form(form): Form<SettingsForm>) -> Redirect {
    let delay = form.webhook_delay_ms.trim();
    let update = SettingsUpdate {
        fail_embed_script: Some(form.fail_embed_script.is_some()),
        fail_links: Some(form.fail_links.is_some()),
        drop_webhooks: Some(form.drop_webhooks.is_some()),
        webhook_delay_ms: if delay.is_empty() {
            Some(0)
        } else {
            delay.parse().ok()
        },
        ..SettingsUpdate::default()
    };
    standin.store().settings.apply(&update);
    back(&standin, "settings saved".into())
}

pub async fn reset(State(standin): State<Standin>) -> Redirect {
    standin.reset();
    back(&standin, "forgot every booking and delivery".into())
}

fn summary(sent: &[DeliveryRecord]) -> String {
    if sent.is_empty() {
        return "nothing to send".into();
    }
    sent.iter()
        .map(|d| match (d.status, &d.error) {
            (Some(status), _) => format!("{} → {status}", d.trigger),
            (None, Some(error)) => format!("{} → {error}", d.trigger),
            (None, None) => format!("{} {:?}", d.trigger, d.state),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn back(standin: &Standin, note: String) -> Redirect {
    standin.store().flash = Some(note);
    Redirect::to("/standin")
}
