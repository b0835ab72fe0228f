//! Facts about the current request that server functions need.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use crate::{
    error::AppError,
    ssr::{
        client_ip::client_ip,
        error::ServerError,
        intake::{capture::own_host, submit::ClientContext},
        respond::request_parts,
        state::AppState,
    },
};

/// The client's address (through trusted proxies) and the host it asked for.
pub async fn client_context(app: &AppState) -> Result<ClientContext, AppError> {
    let parts = request_parts()?;
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_err(|_| ServerError::MissingContext("the peer address"))?;
    Ok(ClientContext {
        ip: client_ip(peer, &parts.headers, app.settings.intake.trusted_proxy_hops),
        own_host: own_host(&parts.headers),
    })
}
