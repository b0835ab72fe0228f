//! The running stand-in's shared handle: its config, its memory, the delivery log, where
//! webhooks go, and the embed script. Every handler gets a clone.

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use anyhow::Context;
use axum::body::Bytes;

use crate::{
    config::Config,
    delivery::{self, DeliveryOptions, Target},
    delivery_log::{Deliveries, DeliveryLog, DeliveryRecord},
    store::Store,
    webhook::Webhook,
};

/// Cheap to clone; every handler gets one.
#[derive(Clone)]
pub struct Standin {
    pub config: Arc<Config>,
    store: Arc<Mutex<Store>>,
    log: DeliveryLog,
    target: Target,
    /// `@calcom/embed-core`'s `embed.js`, exactly as read from disk.
    pub embed_js: Bytes,
}

impl Standin {
    pub fn new(config: Config, embed_js: Bytes) -> anyhow::Result<Self> {
        // Cal.com's fetch does not follow redirects; the app is local, so no proxy either.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(Duration::from_secs(15))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self {
            store: Arc::new(Mutex::new(Store::new(config.settings.clone()))),
            log: DeliveryLog::default(),
            target: Target {
                client,
                url: config.webhook_url.clone(),
                secret: config.secret.clone(),
            },
            config: Arc::new(config),
            embed_js,
        })
    }

    /// The memory. A panic while it was held cannot leave it half-updated in a way that
    /// matters to a test double, so a poisoned lock is simply taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The delivery log; taken after [`Standin::store`] when both are needed, never before.
    pub fn deliveries(&self) -> MutexGuard<'_, Deliveries> {
        self.log.lock()
    }

    /// Delivers `webhooks` as `options` say, with the current settings as defaults.
    pub async fn dispatch(
        &self,
        webhooks: Vec<Webhook>,
        options: &DeliveryOptions,
    ) -> Vec<DeliveryRecord> {
        let defaults = self.store().settings.clone();
        delivery::dispatch(&self.target, &self.log, webhooks, options, &defaults).await
    }

    /// Sends every held delivery, oldest first or (`reverse`) newest first.
    pub async fn flush(&self, reverse: bool) -> Vec<DeliveryRecord> {
        delivery::flush(&self.target, &self.log, reverse).await
    }

    /// Forgets bookings, deliveries and the outbox; keeps the settings.
    pub fn reset(&self) {
        let mut store = self.store();
        store.reset();
        self.deliveries().reset();
    }
}

/// Reads the embed script; a missing file stops the start with one clear line.
pub fn load_embed_js(path: &Path) -> anyhow::Result<Bytes> {
    std::fs::read(path).map(Bytes::from).map_err(|error| {
        anyhow::anyhow!(
            "cannot read Cal.com's embed script at {} ({error}); run scripts/setup.sh to install @calcom/embed-core, or pass --embed-js PATH",
            path.display()
        )
    })
}
