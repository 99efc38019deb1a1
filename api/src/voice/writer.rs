//! One writer for the steps of all sessions. A session hands its step here and waits until it
//! is committed, so "persisted before published" holds; meanwhile the steps of other sessions
//! that arrived at the same time are written in the same transaction. On SQLite every query is
//! a hand-off to the connection's thread, so one transaction for many sessions saves most of
//! the per-step cost under load (docs/benchmarks.md).

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::machine::{Command, Transition, VoiceMachine};
use super::store::{self, StepRecord};
use crate::db::WriteLane;
use crate::error::{AppError, AppResult};

/// Most steps in one transaction.
const MAX_BATCH: usize = 128;
/// Steps waiting for the writer before sessions wait to hand theirs over.
const QUEUE: usize = 4096;

/// A step as handed to the writer.
pub struct OwnedStep {
    pub machine: VoiceMachine,
    pub seq: Option<i64>,
    pub transitions: Vec<Transition>,
    pub command: Option<Command>,
    pub at: DateTime<Utc>,
}

impl OwnedStep {
    fn record(&self) -> StepRecord<'_> {
        StepRecord {
            machine: &self.machine,
            seq: self.seq,
            transitions: &self.transitions,
            command: self.command,
            at: self.at,
        }
    }
}

struct Pending {
    session: Uuid,
    step: OwnedStep,
    done: oneshot::Sender<AppResult<()>>,
}

#[derive(Clone)]
pub struct StepWriter {
    queue: mpsc::Sender<Pending>,
}

impl StepWriter {
    /// Starts the writer task; it ends when the last `StepWriter` is dropped.
    pub fn start(lane: WriteLane) -> StepWriter {
        let (queue, pending) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(lane, pending));
        StepWriter { queue }
    }

    /// A writer that commits nothing: it hands each step to the returned channel, then answers
    /// that it is written. For tests of the session runtime on paused tokio time, where the
    /// database's own threads would let the paused clock jump ahead during a write.
    #[cfg(test)]
    pub fn acknowledging() -> (StepWriter, mpsc::UnboundedReceiver<(Uuid, OwnedStep)>) {
        let (queue, mut pending) = mpsc::channel::<Pending>(QUEUE);
        let (written, steps) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(p) = pending.recv().await {
                let _ = written.send((p.session, p.step));
                let _ = p.done.send(Ok(()));
            }
        });
        (StepWriter { queue }, steps)
    }

    /// Returns once the step is committed, or with the error that kept it out.
    pub async fn write(&self, session: Uuid, step: OwnedStep) -> AppResult<()> {
        let (done, written) = oneshot::channel();
        let stopped = || AppError::Internal(anyhow::anyhow!("the voice step writer has stopped"));
        self.queue
            .send(Pending {
                session,
                step,
                done,
            })
            .await
            .map_err(|_| stopped())?;
        written.await.map_err(|_| stopped())?
    }
}

async fn write_batches(lane: WriteLane, mut pending: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        metrics::histogram!("lossy_voice_write_batch_size").record(batch.len() as f64);
        let records: Vec<(Uuid, StepRecord<'_>)> =
            batch.iter().map(|p| (p.session, p.step.record())).collect();
        let waited = std::time::Instant::now();
        // Held until the batch and any one-by-one retry are written.
        let _turn = lane.turn().await;
        let started = std::time::Instant::now();
        metrics::histogram!("lossy_voice_write_wait_seconds")
            .record((started - waited).as_secs_f64());
        let written = store::save_steps(&lane.db, &records).await;
        metrics::histogram!("lossy_voice_write_seconds").record(started.elapsed().as_secs_f64());
        drop(records);
        match written {
            Ok(()) => {
                for p in batch.drain(..) {
                    let _ = p.done.send(Ok(()));
                }
            }
            // One bad step must not fail the others: write them one by one.
            Err(_) if batch.len() > 1 => {
                for p in batch.drain(..) {
                    let alone = store::save_step(&lane.db, p.session, p.step.record()).await;
                    let _ = p.done.send(alone);
                }
            }
            Err(err) => {
                if let Some(p) = batch.pop() {
                    let _ = p.done.send(Err(err));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Application;
    use crate::config::Config;
    use crate::voice::machine::{EventKind, Input, VoiceConfig, VoiceEvent};
    use crate::voice::testing::owner;

    #[tokio::test]
    async fn a_bad_step_fails_alone_and_the_others_are_committed() {
        let dir = tempfile::tempdir().unwrap();
        let built = Application::build(Config::local(dir.path().to_path_buf()))
            .await
            .unwrap();
        let app = built.state();
        let owner = owner(app, "w@lossy.test").await;
        let config = VoiceConfig::default();
        let (machine, created) = VoiceMachine::new(0, &config);
        let mut sessions = Vec::new();
        for _ in 0..2 {
            let id = Uuid::new_v4();
            let record = StepRecord {
                machine: &machine,
                seq: None,
                transitions: &created.transitions,
                command: None,
                at: Utc::now(),
            };
            store::insert(&app.db, id, &owner, record).await.unwrap();
            sessions.push(id);
        }
        let heartbeat = Input::Event(VoiceEvent {
            seq: 1,
            occurred_at: 0,
            kind: EventKind::Heartbeat,
        });
        let (after, step) = machine.step(&heartbeat, 10, &config);
        let owned = || OwnedStep {
            machine: after.clone(),
            seq: Some(1),
            transitions: step.transitions.clone(),
            command: None,
            at: Utc::now(),
        };

        let writer = StepWriter::start(WriteLane::new(app.db.clone()));
        // Sent together they may share a transaction; the step of a session that does not
        // exist must fail without taking the others down.
        let (missing, first, second) = tokio::join!(
            writer.write(Uuid::new_v4(), owned()),
            writer.write(sessions[0], owned()),
            writer.write(sessions[1], owned()),
        );
        assert!(missing.is_err());
        assert!(first.is_ok() && second.is_ok());
        for id in sessions {
            let row = store::find(&app.db, id).await.unwrap().unwrap();
            assert_eq!(row.last_applied_seq, 1);
        }
    }
}
