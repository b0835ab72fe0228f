//! "Bookings changed": how an applied webhook reaches every open dashboard. Within a process
//! it is a broadcast channel. On PostgreSQL several processes may serve one database, so a
//! change is announced with `NOTIFY` (at most every [`RELAY_EVERY`], off the webhook's hot
//! path) and every process, this one included, hears it through `LISTEN` and broadcasts it to
//! its own dashboards.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::{broadcast, watch};

use crate::ssr::db::Db;

/// The PostgreSQL channel changes are announced on.
pub const CHANNEL: &str = "handoff_changes";
/// How often pending changes are announced to the other processes.
pub const RELAY_EVERY: Duration = Duration::from_millis(200);

#[derive(Clone, Debug)]
pub struct Changes {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    local: broadcast::Sender<()>,
    /// A change not yet announced through the database.
    pending: AtomicBool,
    /// Whether changes travel through the database (PostgreSQL).
    relayed: bool,
    closing: watch::Sender<bool>,
}

impl Changes {
    pub fn new(relayed: bool) -> Self {
        let (local, _) = broadcast::channel(64);
        let (closing, _) = watch::channel(false);
        Changes {
            inner: Arc::new(Inner {
                local,
                pending: AtomicBool::new(false),
                relayed,
                closing,
            }),
        }
    }

    /// Something the dashboard shows has changed.
    pub fn notify(&self) {
        if self.inner.relayed {
            self.inner.pending.store(true, Ordering::Release);
        } else {
            self.announce_here();
        }
    }

    /// Tells this process's listeners.
    pub fn announce_here(&self) {
        let _ = self.inner.local.send(());
    }

    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.inner.local.subscribe()
    }

    /// Completes when the server begins to shut down, so long-lived streams can end.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }

    pub fn close(&self) {
        let _ = self.inner.closing.send(true);
    }

    fn take_pending(&self) -> bool {
        self.inner.pending.swap(false, Ordering::AcqRel)
    }
}

/// On PostgreSQL: announces pending changes with `NOTIFY`, and broadcasts every notification
/// heard with `LISTEN`. Runs until the process ends; reconnects after database trouble.
pub fn spawn_relay(db: &Db, changes: &Changes) {
    let Db::Postgres(pool) = db else {
        return;
    };
    let (announcer, pool_for_announcer) = (changes.clone(), pool.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RELAY_EVERY);
        loop {
            every.tick().await;
            if announcer.take_pending() {
                let sent = sqlx::query("select pg_notify($1, '')")
                    .bind(CHANNEL)
                    .execute(&pool_for_announcer)
                    .await;
                if let Err(error) = sent {
                    tracing::warn!(%error, "cannot announce a change");
                    announcer.announce_here();
                }
            }
        }
    });
    let (listener_changes, pool) = (changes.clone(), pool.clone());
    tokio::spawn(async move {
        let mut reconnecting = false;
        loop {
            match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => match listener.listen(CHANNEL).await {
                    Err(error) => tracing::warn!(%error, "cannot listen for changes"),
                    Ok(()) => {
                        if reconnecting {
                            // A change announced while the connection was down was not
                            // heard: open dashboards read again, now that nothing more can
                            // be missed.
                            tracing::info!("listening for changes again");
                            listener_changes.announce_here();
                        }
                        // `try_recv` says when the connection is lost (`None`) instead of
                        // reconnecting silently and dropping what was sent meanwhile.
                        while let Ok(Some(_)) = listener.try_recv().await {
                            listener_changes.announce_here();
                        }
                        tracing::warn!("the connection listening for changes was lost");
                    }
                },
                Err(error) => tracing::warn!(%error, "cannot open a listening connection"),
            }
            reconnecting = true;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}
