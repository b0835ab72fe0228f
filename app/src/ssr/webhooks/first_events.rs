//! Committing the first events of concurrent deliveries together ([`crate::ssr::batches`]):
//! a burst of N bookings created for N leads is one commit instead of N (on PostgreSQL one
//! statement; on SQLite one transaction). Each delivery is answered only after its own event
//! is committed.

use crate::ssr::{
    batches::{Batches, WriteTogether},
    db::Db,
    store::events::{
        commit_applied, commit_first_events, commit_in, ApplyPlan, Commit, FirstEvent,
    },
};

/// Writes leads' first events; cheap to clone.
#[derive(Clone, Debug)]
pub struct FirstEventWriter {
    batches: Batches<FirstEventBatches>,
}

impl FirstEventWriter {
    /// Starts `writers` writer tasks on the current runtime. They stop when every handle is
    /// gone.
    pub fn start(db: &Db, writers: usize) -> FirstEventWriter {
        FirstEventWriter {
            batches: Batches::start(FirstEventBatches { db: db.clone() }, writers),
        }
    }

    /// Commits `plan` if the lead is still without history and nothing was held for its
    /// uids meanwhile; a plan that is not a first event's ([`FirstEvent::of_plan`]) is
    /// committed alone.
    pub async fn commit(&self, db: &Db, plan: &ApplyPlan<'_>) -> Result<Commit, sqlx::Error> {
        match FirstEvent::of_plan(plan) {
            Some(event) => self.batches.write(event).await,
            None => commit_applied(db, plan).await,
        }
    }
}

struct FirstEventBatches {
    db: Db,
}

impl WriteTogether for FirstEventBatches {
    type Item = FirstEvent;
    type Outcome = Commit;

    const MOST_PER_BATCH: usize = 64;

    async fn write_together(&self, batch: &[FirstEvent]) -> Result<Vec<Commit>, sqlx::Error> {
        match &self.db {
            Db::Postgres(pg) => commit_first_events(pg, batch).await,
            Db::Sqlite(_) => {
                let mut tx = self.db.begin().await?;
                let mut commits = Vec::with_capacity(batch.len());
                for event in batch {
                    commits.push(commit_in(&mut tx, &event.plan()).await?);
                }
                tx.commit().await?;
                Ok(commits)
            }
        }
    }
}
