//! The running stand-in: its shared handle (config, memory, HTTP client, the embed script) and
//! `serve`, which binds the listener and runs the router until Ctrl-C.

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use anyhow::Context;
use axum::body::Bytes;
use tokio::net::TcpListener;

use crate::{cli::ServeArgs, config::Config, store::Store, web};

/// Cheap to clone; every handler gets one.
#[derive(Clone)]
pub struct Standin {
    pub config: Arc<Config>,
    store: Arc<Mutex<Store>>,
    pub client: reqwest::Client,
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
            config: Arc::new(config),
            client,
            embed_js,
        })
    }

    /// The memory. A panic while it was held cannot leave it half-updated in a way that
    /// matters to a test double, so a poisoned lock is simply taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
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

/// `calcom-standin serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let provisional = Config::from_args(&args, args.listen)?;
    let embed_js = load_embed_js(&provisional.embed_js)?;
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let config = Config::from_args(&args, listener.local_addr()?)?;
    tracing::info!(
        origin = %config.public_origin,
        webhook_url = %config.webhook_url,
        links = ?config.links.iter().map(|l| &l.link).collect::<Vec<_>>(),
        "Cal.com stand-in listening; dashboard at {}/standin",
        config.public_origin
    );
    let standin = Standin::new(config, embed_js)?;
    axum::serve(listener, web::router(standin))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}
