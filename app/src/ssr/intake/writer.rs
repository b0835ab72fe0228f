//! Storing the leads of concurrent submissions together ([`crate::ssr::batches`]): a burst
//! of N forms costs one commit (on PostgreSQL, one statement) instead of N, each request is
//! answered only after its own lead is committed, and the address limit counts the leads of
//! a batch in order, as if they had come one after the other.

use jiff::Timestamp;

use crate::ssr::{
    batches::{Batches, WriteTogether},
    db::Db,
    store::{
        leads::{self, NewLead},
        rate_limits,
    },
};

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

/// The handle submissions send their leads through; cheap to clone.
#[derive(Clone, Debug)]
pub struct LeadWriter {
    batches: Batches<LeadBatches>,
}

impl LeadWriter {
    /// Starts `writers` writer tasks on the current runtime. They stop when every handle is
    /// gone.
    pub fn start(db: Db, writers: usize) -> LeadWriter {
        LeadWriter {
            batches: Batches::start(LeadBatches { db }, writers),
        }
    }

    /// Stores `lead` unless its submission id is stored already, counting it against `limit`
    /// when given; answers once the outcome is committed.
    pub async fn store(
        &self,
        lead: NewLead,
        limit: Option<AddressLimit>,
    ) -> Result<LeadWrite, sqlx::Error> {
        self.batches.write((lead, limit)).await
    }
}

struct LeadBatches {
    db: Db,
}

impl WriteTogether for LeadBatches {
    type Item = (NewLead, Option<AddressLimit>);
    type Outcome = LeadWrite;

    const MOST_PER_BATCH: usize = 64;

    /// Leads are stored first; then each new one with a limit counts its hit, in order, and
    /// one over the limit is taken back with its hit.
    async fn write_together(&self, batch: &[Self::Item]) -> Result<Vec<LeadWrite>, sqlx::Error> {
        let db = &self.db;
        let new_leads: Vec<&NewLead> = batch.iter().map(|(lead, _)| lead).collect();
        if batch.iter().all(|(_, limit)| limit.is_none()) {
            leads::insert_each_once(db, &new_leads).await?;
            return Ok(vec![LeadWrite::Stored; batch.len()]);
        }
        let mut tx = db.begin().await?;
        let stored = leads::insert_each_once_in(&mut tx, &new_leads).await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for ((lead, limit), stored) in batch.iter().zip(stored) {
            let outcome = match limit {
                Some(limit) if stored => {
                    let counts =
                        rate_limits::count_sliding(&mut tx, &limit.bucket, limit.now).await?;
                    let elapsed = rate_limits::elapsed_in_hour(limit.now);
                    if counts.before_latest().exhausted(limit.per_hour, elapsed) {
                        leads::take_back_in(&mut tx, &lead.submission_id).await?;
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
}
