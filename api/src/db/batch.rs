//! Batched writes: callers hand a write to one task and wait until it is committed, and the
//! task writes whatever is waiting at that moment in one transaction. On SQLite every
//! statement is a hand-off to the connection's thread and every commit adds the pages it
//! touched to the WAL; one transaction for many callers' writes saves most of both under load
//! (docs/benchmarks.md). The task takes the write lane's turn for each batch.

use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use super::WriteLane;
use crate::error::{AppError, AppResult};

/// Most writes in one transaction.
const MAX_BATCH: usize = 128;
/// Writes waiting for the task before callers wait to hand theirs over.
const QUEUE: usize = 4096;

/// One kind of batched write.
#[async_trait]
pub trait BatchWrite: Send + Sync + 'static {
    type Item: Send + Sync + 'static;
    /// What a caller learns once its item is committed.
    type Done: Send + 'static;

    /// Metric names: the batch sizes, the wait for the lane's turn, and the write.
    const BATCH_SIZE_METRIC: &'static str;
    const WAIT_METRIC: &'static str;
    const WRITE_METRIC: &'static str;

    /// Writes `items` in one transaction, answering one result per item in their order; an
    /// error fails the whole batch (nothing of it is committed).
    async fn write_all(
        &self,
        db: &DatabaseConnection,
        items: &[Self::Item],
    ) -> AppResult<Vec<Self::Done>>;

    /// Writes one item in its own transaction, after the batch it was in failed: one bad item
    /// must not fail the others.
    async fn write_one(&self, db: &DatabaseConnection, item: &Self::Item) -> AppResult<Self::Done>;
}

struct Pending<W: BatchWrite> {
    item: W::Item,
    done: oneshot::Sender<AppResult<W::Done>>,
}

pub struct BatchWriter<W: BatchWrite> {
    queue: mpsc::Sender<Pending<W>>,
}

impl<W: BatchWrite> Clone for BatchWriter<W> {
    fn clone(&self) -> Self {
        BatchWriter {
            queue: self.queue.clone(),
        }
    }
}

impl<W: BatchWrite> BatchWriter<W> {
    /// Starts the writing task; it ends when the last `BatchWriter` is dropped.
    pub fn start(lane: WriteLane, writes: W) -> Self {
        let (queue, pending) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(lane, writes, pending));
        BatchWriter { queue }
    }

    /// A writer that commits nothing: it hands each item to the returned channel and answers
    /// `done` for it. For tests on paused tokio time, where the database's own threads would
    /// let the paused clock jump ahead during a write.
    #[cfg(test)]
    pub fn acknowledging(
        done: impl Fn(&W::Item) -> W::Done + Send + 'static,
    ) -> (Self, mpsc::UnboundedReceiver<W::Item>) {
        let (queue, mut pending) = mpsc::channel::<Pending<W>>(QUEUE);
        let (written, items) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(p) = pending.recv().await {
                let answer = done(&p.item);
                let _ = written.send(p.item);
                let _ = p.done.send(Ok(answer));
            }
        });
        (BatchWriter { queue }, items)
    }

    /// Returns once the item is committed, or with the error that kept it out.
    pub async fn write(&self, item: W::Item) -> AppResult<W::Done> {
        let (done, written) = oneshot::channel();
        let stopped = || AppError::Internal(anyhow::anyhow!("a batch writer has stopped"));
        self.queue
            .send(Pending { item, done })
            .await
            .map_err(|_| stopped())?;
        written.await.map_err(|_| stopped())?
    }
}

async fn write_batches<W: BatchWrite>(
    lane: WriteLane,
    writes: W,
    mut pending: mpsc::Receiver<Pending<W>>,
) {
    let mut batch: Vec<Pending<W>> = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        metrics::histogram!(W::BATCH_SIZE_METRIC).record(batch.len() as f64);
        let (items, senders): (Vec<W::Item>, Vec<_>) =
            batch.drain(..).map(|p| (p.item, p.done)).unzip();
        let waited = std::time::Instant::now();
        // Held until the batch and any one-by-one retry are written.
        let _turn = lane.turn().await;
        let started = std::time::Instant::now();
        metrics::histogram!(W::WAIT_METRIC).record((started - waited).as_secs_f64());
        let written = writes.write_all(&lane.db, &items).await;
        metrics::histogram!(W::WRITE_METRIC).record(started.elapsed().as_secs_f64());
        match written {
            Ok(done) if done.len() == items.len() => {
                for (sender, done) in senders.into_iter().zip(done) {
                    let _ = sender.send(Ok(done));
                }
            }
            Ok(_) => {
                for sender in senders {
                    let _ = sender.send(Err(AppError::Internal(anyhow::anyhow!(
                        "a batch write answered for the wrong number of items"
                    ))));
                }
            }
            Err(err) if items.len() == 1 => {
                if let Some(sender) = senders.into_iter().next() {
                    let _ = sender.send(Err(err));
                }
            }
            Err(_) => {
                for (sender, item) in senders.into_iter().zip(&items) {
                    let _ = sender.send(writes.write_one(&lane.db, item).await);
                }
            }
        }
    }
}
