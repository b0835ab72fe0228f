//! `calcom-standin serve`: binds the listener, resolves the configuration against the address
//! bound, and runs the router until Ctrl-C.

use anyhow::Context;
use tokio::net::TcpListener;

use crate::{
    config::{Config, ServeOptions},
    standin::{load_embed_js, Standin},
    web,
};

pub async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let provisional = Config::from_options(&options, options.listen)?;
    let embed_js = load_embed_js(&provisional.embed_js)?;
    let listener = TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("cannot listen on {}", options.listen))?;
    let config = Config::from_options(&options, listener.local_addr()?)?;
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
