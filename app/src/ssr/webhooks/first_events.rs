//! Committing the first events of concurrent deliveries together ([`crate::ssr::batches`]):
//! on PostgreSQL a burst of N bookings created for N leads is one statement and one commit
//! instead of N. Each delivery is answered only after its own event is committed. SQLite
//! takes every write in turn through its one writer, and commits each plan alone.

use sqlx::PgPool;

use crate::ssr::{
    batches::{Batches, WriteTogether},
    db::Db,
    store::events::{commit_applied, commit_first_events, ApplyPlan, Commit, FirstEvent},
};

/// Writes leads' first events; cheap to clone.
#[derive(Clone, Debug)]
pub struct FirstEventWriter {
    /// `None` on SQLite.
    batches: Option<Batches<FirstEventBatches>>,
}

impl FirstEventWriter {
    /// Starts `writers` writer tasks on the current runtime, on PostgreSQL.
    pub fn start(db: &Db, writers: usize) -> FirstEventWriter {
        let batches = match db {
            Db::Postgres(pg) => Some(Batches::start(
                FirstEventBatches { pg: pg.clone() },
                writers,
            )),
            Db::Sqlite(_) => None,
        };
        FirstEventWriter { batches }
    }

    /// Commits `plan`, a first event's (see [`FirstEvent::of_plan`]), if the lead is still
    /// without history and nothing was held for its uids meanwhile.
    pub async fn commit(&self, db: &Db, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
        match (&self.batches, FirstEvent::of_plan(plan)) {
            (Some(batches), Some(event)) => batches.write(event).await,
            _ => commit_applied(db, plan).await,
        }
    }
}

struct FirstEventBatches {
    pg: PgPool,
}

impl WriteTogether for FirstEventBatches {
    type Item = FirstEvent;
    type Outcome = Commit;

    const MOST_PER_BATCH: usize = 64;

    async fn write_together(&self, batch: &[FirstEvent]) -> Result<Vec<Commit>, sqlx::Error> {
        commit_first_events(&self.pg, batch).await
    }
}
