//! One writer for the steps of all sessions. A session hands its step here and waits until it
//! is committed, so "persisted before published" holds; meanwhile the steps of other sessions
//! that arrived at the same time are written in the same transaction ([`BatchWriter`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::machine::{Command, Transition, VoiceMachine};
use super::store::{self, StepRecord};
use crate::db::WriteLane;
use crate::db::batch::{BatchWrite, BatchWriter};
use crate::error::AppResult;

/// A step as handed to the writer.
pub struct OwnedStep {
    pub machine: VoiceMachine,
    pub seq: Option<i64>,
    pub transitions: Vec<Transition>,
    pub command: Option<Command>,
    pub at: DateTime<Utc>,
    /// The lease epoch of the node that wrote it.
    pub epoch: i64,
}

impl OwnedStep {
    fn record(&self) -> StepRecord<'_> {
        StepRecord {
            machine: &self.machine,
            seq: self.seq,
            transitions: &self.transitions,
            command: self.command,
            at: self.at,
            epoch: self.epoch,
        }
    }
}

/// Sessions' steps, written together.
pub struct Steps;

#[async_trait]
impl BatchWrite for Steps {
    /// The session and its step.
    type Item = (Uuid, OwnedStep);
    type Done = ();

    const BATCH_SIZE_METRIC: &'static str = "lossy_voice_write_batch_size";
    const WAIT_METRIC: &'static str = "lossy_voice_write_wait_seconds";
    const WRITE_METRIC: &'static str = "lossy_voice_write_seconds";

    async fn write_all(
        &self,
        db: &DatabaseConnection,
        items: &[(Uuid, OwnedStep)],
    ) -> AppResult<Vec<()>> {
        let records: Vec<(Uuid, StepRecord<'_>)> = items
            .iter()
            .map(|(id, step)| (*id, step.record()))
            .collect();
        store::save_steps(db, &records).await?;
        Ok(vec![(); items.len()])
    }

    async fn write_one(
        &self,
        db: &DatabaseConnection,
        (id, step): &(Uuid, OwnedStep),
    ) -> AppResult<()> {
        store::save_step(db, *id, step.record()).await
    }
}

/// Where every session's steps are written.
#[derive(Clone)]
pub struct StepWriter(BatchWriter<Steps>);

impl StepWriter {
    /// Starts the writer task; it ends when the last `StepWriter` is dropped.
    pub fn start(lane: WriteLane) -> StepWriter {
        StepWriter(BatchWriter::start(lane, Steps))
    }

    /// A writer that commits nothing: it hands each step to the returned channel, then answers
    /// that it is written. For tests of the session runtime on paused tokio time.
    #[cfg(test)]
    pub fn acknowledging() -> (
        StepWriter,
        tokio::sync::mpsc::UnboundedReceiver<(Uuid, OwnedStep)>,
    ) {
        let (writer, steps) = BatchWriter::acknowledging(|_| ());
        (StepWriter(writer), steps)
    }

    /// Returns once the step is committed, or with the error that kept it out.
    pub async fn write(&self, session: Uuid, step: OwnedStep) -> AppResult<()> {
        self.0.write((session, step)).await
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
                epoch: store::FIRST_EPOCH,
            };
            let lease = store::Lease {
                node: &app.node,
                until: Utc::now() + chrono::Duration::seconds(10),
            };
            store::insert(&app.db, id, &owner, record, lease)
                .await
                .unwrap();
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
            epoch: store::FIRST_EPOCH,
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
        for id in sessions.iter().copied() {
            let row = store::find(&app.db, id).await.unwrap().unwrap();
            assert_eq!(row.last_applied_seq, 1);
        }

        // Another node claims the first session: this node's steps under the old epoch are
        // refused as moved, and the other session's still commit beside them.
        let other = store::Lease {
            node: "another-node",
            until: Utc::now() + chrono::Duration::seconds(10),
        };
        let claimed = store::claim(&app.db, sessions[0], 1, other, Utc::now(), true)
            .await
            .unwrap();
        assert_eq!(claimed, Some(2));
        let (fenced, kept) = tokio::join!(
            writer.write(sessions[0], owned()),
            writer.write(sessions[1], owned()),
        );
        assert_eq!(fenced.unwrap_err().code(), "SESSION_MOVED");
        assert!(kept.is_ok());
        let row = store::find(&app.db, sessions[0]).await.unwrap().unwrap();
        assert_eq!((row.epoch, row.node.as_deref()), (2, Some("another-node")));
        // A claim from a stale read of the epoch, or of a session someone holds, fails.
        let late = store::claim(&app.db, sessions[0], 1, other, Utc::now(), true).await;
        assert_eq!(late.unwrap(), None);
        let mine = store::Lease {
            node: &app.node,
            until: Utc::now() + chrono::Duration::seconds(10),
        };
        let held = store::claim(&app.db, sessions[0], 2, mine, Utc::now(), false).await;
        assert_eq!(held.unwrap(), None, "another node holds an unexpired lease");
        let expired = Utc::now() + chrono::Duration::seconds(60);
        let taken = store::claim(&app.db, sessions[0], 2, mine, expired, false).await;
        assert_eq!(taken.unwrap(), Some(3), "the lease has lapsed");
    }
}
