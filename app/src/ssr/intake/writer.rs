//! Storing the leads of concurrent submissions together. A few writer tasks each take every
//! lead waiting at that moment and commit them as one transaction, so a burst of N forms
//! costs one commit (on PostgreSQL, one statement) instead of N. Nothing waits for a batch
//! to fill: a lone submission is written at once. Each request is answered only after its
//! own lead is committed; a batch that fails is written again lead by lead, so one bad lead
//! fails only its own request.

use std::sync::Arc;

use jiff::Timestamp;
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::ssr::{
    db::Db,
    store::{
        leads::{self, NewLead},
        rate_limits,
    },
};

/// Most leads one transaction takes.
const MOST_PER_BATCH: usize = 64;
/// Submissions waiting for a writer before new ones wait to be queued.
const QUEUE_DEPTH: usize = 1024;

/// The per-address hourly limit a new lead counts against.
#[derive(Clone, Debug)]
pub struct AddressLimit {
    /// The rate-limit bucket of the submitting address.
    pub bucket: String,
    pub per_hour: u32,
    pub now: Timestamp,
}

/// What became of a lead handed to the writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadWrite {
    /// Stored now, or by an earlier delivery of the same submission id.
    Stored,
    /// New, but its address had used up its hourly limit: nothing is stored or counted.
    RateLimited,
}

struct Pending {
    lead: NewLead,
    limit: Option<AddressLimit>,
    reply: oneshot::Sender<Result<LeadWrite, sqlx::Error>>,
}

/// The handle submissions send their leads through; cheap to clone.
#[derive(Clone, Debug)]
pub struct LeadWriter {
    queue: mpsc::Sender<Pending>,
}

impl LeadWriter {
    /// Starts `writers` writer tasks on the current runtime. They stop when every handle is
    /// gone.
    pub fn start(db: Db, writers: usize) -> LeadWriter {
        let (queue, waiting) = mpsc::channel(QUEUE_DEPTH);
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..writers.max(1) {
            tokio::spawn(write_batches(db.clone(), waiting.clone()));
        }
        LeadWriter { queue }
    }

    /// Stores `lead` unless its submission id is stored already, counting it against `limit`
    /// when given; answers once the outcome is committed.
    pub async fn store(
        &self,
        lead: NewLead,
        limit: Option<AddressLimit>,
    ) -> Result<LeadWrite, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { lead, limit, reply })
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

async fn write_batches(db: Db, waiting: Arc<Mutex<mpsc::Receiver<Pending>>>) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    loop {
        // One writer at a time takes what is waiting; the others write meanwhile.
        let taken = waiting
            .lock()
            .await
            .recv_many(&mut batch, MOST_PER_BATCH)
            .await;
        if taken == 0 {
            return;
        }
        write(&db, std::mem::take(&mut batch)).await;
    }
}

async fn write(db: &Db, batch: Vec<Pending>) {
    let outcomes = match write_together(db, &batch).await {
        Ok(outcomes) => outcomes,
        Err(error) if batch.len() == 1 => {
            answer(batch, vec![Err(error)]);
            return;
        }
        Err(error) => {
            tracing::warn!(%error, leads = batch.len(), "a batch of leads failed: writing each alone");
            let mut outcomes = Vec::with_capacity(batch.len());
            for pending in &batch {
                let alone = write_together(db, std::slice::from_ref(pending)).await;
                outcomes.push(alone.map(|mut one| one.remove(0)));
            }
            answer(batch, outcomes);
            return;
        }
    };
    answer(batch, outcomes.into_iter().map(Ok).collect());
}

fn answer(batch: Vec<Pending>, outcomes: Vec<Result<LeadWrite, sqlx::Error>>) {
    for (pending, outcome) in batch.into_iter().zip(outcomes) {
        // A request that went away meanwhile finds its lead stored when the form is sent again.
        let _ = pending.reply.send(outcome);
    }
}

/// Writes the batch in one transaction and answers each lead's outcome, in order. Leads are
/// stored first; then each new one with a limit counts its hit, in order, and one over the
/// limit is taken back with its hit, so the outcome is the one the requests would have had
/// one after the other.
async fn write_together(db: &Db, batch: &[Pending]) -> Result<Vec<LeadWrite>, sqlx::Error> {
    let new_leads: Vec<&NewLead> = batch.iter().map(|pending| &pending.lead).collect();
    if batch.iter().all(|pending| pending.limit.is_none()) {
        leads::insert_each_once(db, &new_leads).await?;
        return Ok(vec![LeadWrite::Stored; batch.len()]);
    }
    let mut tx = db.begin().await?;
    let stored = leads::insert_each_once_in(&mut tx, &new_leads).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for (pending, stored) in batch.iter().zip(stored) {
        let outcome = match &pending.limit {
            Some(limit) if stored => {
                let counts = rate_limits::count_sliding(&mut tx, &limit.bucket, limit.now).await?;
                let elapsed = rate_limits::elapsed_in_hour(limit.now);
                if counts.before_latest().exhausted(limit.per_hour, elapsed) {
                    leads::take_back_in(&mut tx, &pending.lead.submission_id).await?;
                    rate_limits::forgive(&mut tx, &limit.bucket, limit.now).await?;
                    LeadWrite::RateLimited
                } else {
                    LeadWrite::Stored
                }
            }
            _ => LeadWrite::Stored,
        };
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}
