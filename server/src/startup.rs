//! Building the application: database, router and middleware, bound to a port (port 0 in
//! tests), and serving it until a shutdown signal, finishing requests already in flight.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use app::{
    api::intake::SubmitIntake,
    shell,
    ssr::{
        auth::{self, hash_gate::HashGate, Owner},
        changes::{self, Changes},
        db::{Db, DbTime, PoolSizing},
        intake::{ticket::TicketSigner, ticket_keys, writer::LeadWriter},
        limit_keys::LimitKeys,
        reconcile, review,
        spool::Spool,
        state::AppState,
        store::{events::bodies, owners, rate_limits, signing_keys, tallies},
        stream_slots::StreamSlots,
        webhooks::{
            first_events::FirstEventWriter, gate::WebhookGate, settle_held_events,
            spawn_spool_replay,
        },
    },
    App,
};
use axum::{
    extract::State,
    http::StatusCode,
    middleware,
    routing::{get, post},
    Router,
};
use leptos::server_fn::ServerFn;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
};

use crate::{
    config::Config,
    prometheus::{self, MetricsAccess},
    routes::{self, events, health, intake, metrics, webhooks},
    same_origin::refuse_cross_site_writes,
    security_headers::{provide_request_nonce, security_headers, Policies},
    serve::ConnectionLimits,
    server_fn_errors, static_files, telemetry,
};

/// A server bound to its port, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    connections: ConnectionLimits,
    /// How long requests in flight may take to finish after a shutdown signal.
    drain: Duration,
}

impl Application {
    /// Opens the database, runs its migrations and binds the listen address.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_routes(config, Router::new()).await
    }

    /// As [`Application::build`], with extra routes behind the same middleware (tests use
    /// this to add endpoints of their own).
    pub async fn build_with_routes(
        config: Config,
        extra: Router<AppState>,
    ) -> anyhow::Result<Self> {
        let state = open_state(&config).await?;
        changes::spawn_relay(&state.db, &state.changes);
        let listener = TcpListener::bind(config.leptos.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.leptos.site_addr))?;
        let router = router(state.clone(), &config, extra);
        static_files::spawn_precompression(pkg_dir(&state));
        spawn_housekeeping(state.clone());
        spawn_spool_replay(state.clone());
        reconcile::spawn_reconciler(state.clone());
        ticket_keys::spawn_refresh(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            connections: config.connections,
            drain: config.request_timeout + Duration::from_secs(5),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and closes the
    /// database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let changes = self.state.changes.clone();
        crate::serve::serve(
            self.listener,
            self.router,
            self.connections,
            self.drain,
            async move {
                shutdown.await;
                // Live streams end, so the requests in flight can finish.
                changes.close();
            },
        )
        .await;
        self.state.db.close().await;
        Ok(())
    }
}

/// Opens the database (applying its migrations), the spool and the signing keys: the state
/// the server and its commands work with.
pub async fn open_state(config: &Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database, config.pool)
        .await
        .context("cannot open the database")?;
    db.migrate()
        .await
        .context("cannot apply the database migrations")?;
    if let Some(built) = tallies::ensure(&db, &config.settings.owners.time_zone)
        .await
        .context("cannot count the dashboard's tallies")?
    {
        tracing::info!(
            time_zone = %built.time_zone,
            cohort_rows = built.cohort_rows,
            slot_rows = built.slot_rows,
            millis = built.millis as u64,
            "counted the dashboard's tallies"
        );
    }
    if let Some(first) = &config.first_owner {
        use secrecy::ExposeSecret;
        let created =
            auth::create_first_owner(&db, &first.email, first.password.expose_secret().to_owned())
                .await
                .context("cannot create the first owner (OWNER_EMAIL)")?;
        if created {
            tracing::info!("created the first owner from OWNER_EMAIL");
        }
    }
    let ticket_keys = ticket_keys::load(&db)
        .await
        .context("cannot read or create the form signing key")?;
    let limit_key = signing_keys::get_or_create(&db, "rate-limit-keys")
        .await
        .context("cannot read or create the rate-limit key")?;
    let spool = Spool::open(&config.spool.dir, config.spool.max_bytes).with_context(|| {
        format!(
            "cannot open the webhook spool at {} (WEBHOOK_SPOOL_DIR)",
            config.spool.dir.display()
        )
    })?;
    let db_is_postgres = matches!(db, Db::Postgres(_));
    Ok(AppState {
        lead_writer: LeadWriter::start(db.clone(), writers(db_is_postgres)),
        first_events: FirstEventWriter::start(&db, writers(db_is_postgres)),
        db,
        settings: config.settings.clone(),
        leptos_options: config.leptos.clone(),
        ticket_signer: Arc::new(TicketSigner::with_keys(ticket_keys)),
        limit_keys: Arc::new(LimitKeys::new(limit_key)),
        hash_gate: Arc::new(HashGate::for_this_machine()),
        changes: Changes::new(db_is_postgres),
        stream_slots: Arc::new(StreamSlots::new(
            config.live_streams.0,
            config.live_streams.1,
        )),
        webhook_gate: Arc::new(WebhookGate::new(
            config.settings.webhook.max_concurrent,
            database_share(
                db_is_postgres,
                config.pool,
                config.settings.webhook.max_concurrent,
            ),
        )),
        refusals: Arc::default(),
        recent_deliveries: Arc::default(),
        percentiles: Arc::default(),
        dashboard_flights: Arc::default(),
        spool: Arc::new(spool),
        review: Arc::default(),
    })
}

/// Tasks writing new leads (and, apart, leads' first webhook events), each committing a
/// batch at a time. SQLite has one writer connection, so one task; on PostgreSQL a few keep
/// a batch committing while the next gathers, and leave the rest of the pool to pages and
/// the other writes.
fn writers(postgres: bool) -> usize {
    if postgres {
        WRITERS_POSTGRES
    } else {
        1
    }
}

const WRITERS_POSTGRES: usize = 2;

/// Verified deliveries at the database at once, besides leads' first events (which the
/// batching writer takes): half the pool on PostgreSQL (the rest stays for pages and forms);
/// on SQLite, whose one writer takes every write in turn anyway, as many as may be read at
/// once.
fn database_share(postgres: bool, pool: PoolSizing, reading: usize) -> usize {
    if postgres {
        (pool.max_connections as usize / 2).max(4)
    } else {
        reading
    }
}

/// The whole HTTP surface: pages, server functions, static files and plain routes, with the
/// middleware every response goes through.
pub fn router(state: AppState, config: &Config, extra: Router<AppState>) -> Router {
    // The intake endpoint is served by our own handler (it answers plain form posts with a
    // page); leptos_routes must not register it a second time.
    let intake_path = <SubmitIntake as ServerFn>::PATH;
    let routes = generate_route_list_with_exclusions(App, Some(vec![intake_path.to_owned()]));
    let (set_request_id, propagate_request_id) = telemetry::request_id_layers();
    // Latency per route is recorded only when someone can read it.
    let latency = config
        .metrics_token
        .is_some()
        .then(|| middleware::from_fn(prometheus::record_latency));
    let middleware = ServiceBuilder::new()
        .layer(set_request_id)
        .layer(telemetry::trace_layer())
        .layer(propagate_request_id)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            Policies::new(&state.settings.cal, &state.settings.site),
            security_headers,
        ))
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn(server_fn_errors::status_from_error))
        .option_layer(latency);

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(metrics::PATH, get(metrics::metrics))
        .route(prometheus::PATH, {
            let access = MetricsAccess::new(config.metrics_token.clone());
            get(
                move |State(app): State<AppState>, headers: axum::http::HeaderMap| {
                    prometheus::scrape(app, access.clone(), headers)
                },
            )
        })
        .route(routes::review::QUEUE_PATH, get(routes::review::queue))
        .route(routes::review::BULK_PATH, post(routes::review::act_in_bulk))
        .route(routes::review::ITEM_PATH, post(routes::review::act))
        .route(routes::review::AUDIT_PATH, get(routes::review::audit))
        .route(routes::leads::LIST_PATH, get(routes::leads::list))
        .route(routes::leads::LEAD_PATH, get(routes::leads::lead))
        .route(routes::leads::ERASE_PATH, post(routes::leads::erase_lead))
        .route(events::PATH, {
            let request_timeout = config.request_timeout;
            get(move |State(app): State<AppState>, owner: Owner| {
                events::changes(app, owner, request_timeout)
            })
        })
        .route(webhooks::PATH, post(webhooks::cal_com))
        .route(
            intake_path,
            post(intake::post_intake).layer(RequestBodyLimitLayer::new(intake::MAX_BODY_BYTES)),
        )
        .merge(extra)
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            static_files::service(&pkg_dir(&state)),
        )
        .leptos_routes_with_context(&state, routes, provide_request_nonce, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_request_nonce, shell))
        .with_state(state)
        .layer(middleware)
}

/// Where the built front end is: `LEPTOS_SITE_ROOT/LEPTOS_SITE_PKG_DIR`.
fn pkg_dir(state: &AppState) -> std::path::PathBuf {
    let options = &state.leptos_options;
    std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

/// Background upkeep: held webhook events whose booking became known in a concurrent
/// transaction are applied every two seconds; the review queue is brought up to date every
/// thirty; expired rate-limit windows are deleted every ten minutes, with expired owner
/// sessions.
fn spawn_housekeeping(state: AppState) {
    let queue = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(30));
        loop {
            every.tick().await;
            if let Err(error) = review::refresh_if_stale(&queue).await {
                tracing::warn!(%error, "cannot bring the review queue up to date");
            }
        }
    });
    let held = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(2));
        loop {
            every.tick().await;
            if let Err(error) = settle_held_events(&held).await {
                tracing::warn!(%error, "cannot settle held webhook events");
            }
        }
    });
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(error) = rate_limits::prune(&state.db, jiff::Timestamp::now()).await {
                tracing::warn!(%error, "cannot prune rate-limit windows");
            }
            if let Err(error) = owners::prune_sessions(&state.db, DbTime::now()).await {
                tracing::warn!(%error, "cannot prune expired sessions");
            }
            let days = i64::from(state.settings.webhook.raw_body_retention_days);
            let cutoff = DbTime::now().timestamp() - jiff::SignedDuration::from_hours(24 * days);
            match bodies::prune(&state.db, DbTime::new(cutoff)).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "pruned delivery bodies past their retention"),
                Err(error) => tracing::warn!(%error, "cannot prune delivery bodies"),
            }
        }
    });
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
