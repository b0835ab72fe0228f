//! The whole configuration of the server process, assembled from the parts.

use std::{sync::Arc, time::Duration};

use app::ssr::{
    db::{DbTarget, PoolSizing},
    settings::Settings,
};
use leptos::config::LeptosOptions;

use crate::serve::ConnectionLimits;

use super::{
    cal, database,
    error::ConfigError,
    intake,
    operations::{
        LogFormat, HEADER_READ_TIMEOUT_SECONDS, LIVE_STREAMS_MAX, LIVE_STREAMS_PER_OWNER,
        LOG_FORMAT, MAX_CONNECTIONS, METRICS_TOKEN, REQUEST_TIMEOUT_SECONDS, RUST_LOG,
    },
    owners::{self, FirstOwner},
    reconcile, review, site,
    source::Source,
    webhook::{self, SpoolConfig},
};

/// Everything the server process needs, validated.
#[derive(Clone, Debug)]
pub struct Config {
    pub database: DbTarget,
    pub pool: PoolSizing,
    pub leptos: LeptosOptions,
    pub request_timeout: Duration,
    pub connections: ConnectionLimits,
    /// Turns on `/metrics` for requests carrying it.
    pub metrics_token: Option<secrecy::SecretString>,
    /// Live-update streams: per owner, and in all.
    pub live_streams: (usize, usize),
    pub log_format: LogFormat,
    pub log_filter: String,
    pub settings: Arc<Settings>,
    /// The durable inbox for verified deliveries the database cannot take.
    pub spool: SpoolConfig,
    /// The owner to create at start when there is none yet (`OWNER_EMAIL`, `OWNER_PASSWORD`).
    pub first_owner: Option<FirstOwner>,
}

impl Config {
    pub fn from_source(source: &Source) -> Result<Config, ConfigError> {
        let (database, pool) = database::database_target(source)?;
        let leptos = site::leptos_options(source)?;
        let settings = Settings {
            cal: cal::settings(source)?,
            webhook: webhook::settings(source)?,
            intake: intake::settings(source)?,
            owners: owners::settings(source)?,
            review: review::settings(source)?,
            reconcile: reconcile::settings(source)?,
            site: site::settings(source)?,
        };
        let first_owner = owners::first_owner(source)?;
        let log_format = LOG_FORMAT.read(source)?;
        Ok(Config {
            database,
            pool,
            leptos,
            request_timeout: Duration::from_secs(REQUEST_TIMEOUT_SECONDS.read(source)?),
            metrics_token: METRICS_TOKEN.read(source)?,
            live_streams: (
                LIVE_STREAMS_PER_OWNER.read(source)?,
                LIVE_STREAMS_MAX.read(source)?,
            ),
            connections: ConnectionLimits {
                max_connections: MAX_CONNECTIONS.read(source)?,
                header_read_timeout: Duration::from_secs(HEADER_READ_TIMEOUT_SECONDS.read(source)?),
            },
            log_format,
            log_filter: RUST_LOG.read(source)?,
            settings: Arc::new(settings),
            spool: webhook::spool(source)?,
            first_owner,
        })
    }
}
