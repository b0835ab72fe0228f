//! Committing the writes of concurrent requests together. A few writer tasks each take every
//! write waiting at that moment and commit them at once, so a burst of N requests costs one
//! commit (on PostgreSQL, one statement) instead of N. Nothing waits for a batch to fill: a
//! lone write is made at once. Each request is answered only after its own write is
//! committed; a batch that fails is written again one by one, so one bad write fails only
//! its own request.

use std::{future::Future, sync::Arc};

use tokio::sync::{mpsc, oneshot, Mutex};

/// Writes waiting for a writer before new ones wait to be queued.
const QUEUE_DEPTH: usize = 1024;

/// How one kind of write is committed many at a time.
pub trait WriteTogether: Send + Sync + 'static {
    type Item: Send + Sync + 'static;
    type Outcome: Send + 'static;

    /// Most items one batch takes.
    const MOST_PER_BATCH: usize;

    /// Commits `batch` at once and answers each item's outcome, in order; an error means
    /// nothing of the batch was committed.
    fn write_together(
        &self,
        batch: &[Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Outcome>, sqlx::Error>> + Send;
}

type Reply<W> = oneshot::Sender<Result<<W as WriteTogether>::Outcome, sqlx::Error>>;
/// The queue's receiving end, shared by the writer tasks.
type Waiting<W> = Arc<Mutex<mpsc::Receiver<(<W as WriteTogether>::Item, Reply<W>)>>>;

/// The handle requests send their writes through; cheap to clone.
pub struct Batches<W: WriteTogether> {
    queue: mpsc::Sender<(W::Item, Reply<W>)>,
}

impl<W: WriteTogether> Clone for Batches<W> {
    fn clone(&self) -> Self {
        Batches {
            queue: self.queue.clone(),
        }
    }
}

impl<W: WriteTogether> std::fmt::Debug for Batches<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches")
            .field("waiting", &(QUEUE_DEPTH - self.queue.capacity()))
            .finish()
    }
}

impl<W: WriteTogether> Batches<W> {
    /// Starts `writers` writer tasks on the current runtime. They stop when every handle is
    /// gone.
    pub fn start(write: W, writers: usize) -> Batches<W> {
        let (queue, waiting) = mpsc::channel(QUEUE_DEPTH);
        let waiting = Arc::new(Mutex::new(waiting));
        let write = Arc::new(write);
        for _ in 0..writers.max(1) {
            tokio::spawn(write_batches(write.clone(), waiting.clone()));
        }
        Batches { queue }
    }

    /// Hands `item` to a writer; answers once its outcome is committed.
    pub async fn write(&self, item: W::Item) -> Result<W::Outcome, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((item, reply))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

async fn write_batches<W: WriteTogether>(write: Arc<W>, waiting: Waiting<W>) {
    let mut taken = Vec::with_capacity(W::MOST_PER_BATCH);
    loop {
        // One writer at a time takes what is waiting; the others write meanwhile.
        let count = waiting
            .lock()
            .await
            .recv_many(&mut taken, W::MOST_PER_BATCH)
            .await;
        if count == 0 {
            return;
        }
        let (items, replies): (Vec<W::Item>, Vec<Reply<W>>) = taken.drain(..).unzip();
        let outcomes = write_or_each_alone(&*write, &items).await;
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            // A request that went away meanwhile finds its write done when it asks again.
            let _ = reply.send(outcome);
        }
    }
}

async fn write_or_each_alone<W: WriteTogether>(
    write: &W,
    items: &[W::Item],
) -> Vec<Result<W::Outcome, sqlx::Error>> {
    match write.write_together(items).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(error) if items.len() == 1 => vec![Err(error)],
        Err(error) => {
            tracing::warn!(%error, writes = items.len(), "a batch failed: writing each alone");
            let mut outcomes = Vec::with_capacity(items.len());
            for item in items {
                let alone = write.write_together(std::slice::from_ref(item)).await;
                outcomes.push(alone.and_then(|one| {
                    one.into_iter().next().ok_or_else(|| {
                        sqlx::Error::Protocol("a write of one answered no outcome".into())
                    })
                }));
            }
            outcomes
        }
    }
}
