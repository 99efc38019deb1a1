//! The server's own telemetry: a bounded queue in front of one writer task.
//!
//! [`TelemetryRecorder::record`] is a plain function: it puts the event in the queue with
//! `try_send` and returns. When the queue is full (the database is slow or down, or a burst
//! outruns it) the event is dropped and `lossy_telemetry_dropped_total` counts it; a voice
//! session is never made to wait for its telemetry.
//!
//! The writer takes whatever is queued, up to [`MAX_BATCH_ROWS`] events, and inserts it in one
//! statement; while it writes, the next batch accumulates. An event therefore waits at most
//! one write for its turn, and a busy queue is written in large batches. Database errors are
//! logged and counted, never fatal: that batch is lost and the writer carries on.
//!
//! The same writer flushes the analytics rollups ([`crate::analytics::Rollups`], which the
//! recorder carries for the hot paths) every flush interval and once more when it stops.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use lossy_entities::telemetry_events;
use sea_orm::ActiveValue::Set;
use sea_orm::{EntityTrait, TryInsertResult};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::{SERVER_CLIENT_KEY, TelemetryLevel, TelemetrySource};
use crate::analytics::{Rollups, Series};
use crate::db::WriteLane;

/// Most events written in one statement (14 columns each stays far below the bind-parameter
/// limits of SQLite and PostgreSQL).
pub const MAX_BATCH_ROWS: usize = 500;

/// One event the server records about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent {
    /// One of [`super::names`], or another dotted lower-case name.
    pub name: Cow<'static, str>,
    pub level: TelemetryLevel,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    /// A JSON object; anything else is stored under `{"value": ...}`.
    pub properties: Value,
    pub occurred_at: DateTime<Utc>,
}

impl ServerEvent {
    /// An event that happens now, with no one attached and no properties.
    pub fn new(name: impl Into<Cow<'static, str>>, level: TelemetryLevel) -> ServerEvent {
        ServerEvent {
            name: name.into(),
            level,
            user_id: None,
            device_id: None,
            session_id: None,
            properties: Value::Object(serde_json::Map::new()),
            occurred_at: Utc::now(),
        }
    }

    pub fn user(mut self, user_id: Uuid) -> ServerEvent {
        self.user_id = Some(user_id);
        self
    }

    pub fn device(mut self, device_id: Uuid) -> ServerEvent {
        self.device_id = Some(device_id);
        self
    }

    pub fn session(mut self, session_id: Uuid) -> ServerEvent {
        self.session_id = Some(session_id);
        self
    }

    pub fn properties(mut self, properties: Value) -> ServerEvent {
        self.properties = properties;
        self
    }

    pub fn at(mut self, occurred_at: DateTime<Utc>) -> ServerEvent {
        self.occurred_at = occurred_at;
        self
    }

    /// The row to store, received at `received_at`, with a fresh event id.
    fn into_row(self, received_at: DateTime<Utc>) -> telemetry_events::ActiveModel {
        let properties = match self.properties {
            object @ Value::Object(_) => object,
            other => serde_json::json!({ "value": other }),
        };
        telemetry_events::ActiveModel {
            id: Set(Uuid::new_v4()),
            client_key: Set(SERVER_CLIENT_KEY.to_owned()),
            event_id: Set(Uuid::new_v4().to_string()),
            user_id: Set(self.user_id),
            device_id: Set(self.device_id),
            session_id: Set(self.session_id),
            name: Set(self.name.into_owned()),
            level: Set(self.level.as_str().to_owned()),
            // Both databases keep microseconds; store what reads back.
            occurred_at: Set(self.occurred_at.trunc_subsecs(6)),
            received_at: Set(received_at),
            properties: Set(properties),
            client_version: Set(None),
            source: Set(TelemetrySource::Server.as_str().to_owned()),
        }
    }
}

/// Records server events. Cheap to clone; every clone feeds the same queue.
#[derive(Clone)]
pub struct TelemetryRecorder {
    queue: mpsc::Sender<ServerEvent>,
    dropped: Arc<AtomicU64>,
    rollups: Arc<Rollups>,
}

/// How often the writer flushes the analytics rollups unless configured
/// (`LOSSY_ANALYTICS_FLUSH_MS`).
pub const DEFAULT_ROLLUP_FLUSH: Duration = Duration::from_secs(5);

/// The writer task behind a [`TelemetryRecorder`]. [`TelemetryWriter::finish`] writes what is
/// queued and stops it; dropping this handle stops it too, after the same final write.
pub struct TelemetryWriter {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl TelemetryRecorder {
    /// Starts the writer on the current runtime with a queue of `capacity` events (at least 1)
    /// and fresh rollups flushed every [`DEFAULT_ROLLUP_FLUSH`].
    pub fn start(lane: WriteLane, capacity: usize) -> (TelemetryRecorder, TelemetryWriter) {
        TelemetryRecorder::start_with_rollups(
            lane,
            capacity,
            Arc::new(Rollups::new()),
            DEFAULT_ROLLUP_FLUSH,
        )
    }

    /// The same, with the analytics `rollups` the writer flushes every `flush_every`.
    pub fn start_with_rollups(
        lane: WriteLane,
        capacity: usize,
        rollups: Arc<Rollups>,
        flush_every: Duration,
    ) -> (TelemetryRecorder, TelemetryWriter) {
        let (queue, events) = mpsc::channel(capacity.max(1));
        let (stop, stopped) = oneshot::channel();
        let flush = RollupFlush {
            rollups: rollups.clone(),
            every: flush_every.max(Duration::from_millis(10)),
        };
        let task = tokio::spawn(write_until_stopped(lane, events, stopped, flush));
        let recorder = TelemetryRecorder {
            queue,
            dropped: Arc::new(AtomicU64::new(0)),
            rollups,
        };
        (recorder, TelemetryWriter { stop, task })
    }

    /// A recorder whose events go to the returned channel instead of the database (for tests
    /// that must not wait on the database).
    #[cfg(test)]
    pub fn capturing(capacity: usize) -> (TelemetryRecorder, mpsc::Receiver<ServerEvent>) {
        let (queue, events) = mpsc::channel(capacity.max(1));
        let recorder = TelemetryRecorder {
            queue,
            dropped: Arc::new(AtomicU64::new(0)),
            rollups: Arc::new(Rollups::new()),
        };
        (recorder, events)
    }

    /// Queues `event` for writing, or drops it when the queue is full or the writer has
    /// stopped. Never waits.
    pub fn record(&self, event: ServerEvent) {
        let reason = match self.queue.try_send(event) {
            Ok(()) => return,
            Err(mpsc::error::TrySendError::Full(_)) => "full",
            Err(mpsc::error::TrySendError::Closed(_)) => "stopped",
        };
        self.dropped.fetch_add(1, Ordering::Relaxed);
        self.rollups.count(Series::TelemetryDropped, 1);
        metrics::counter!("lossy_telemetry_dropped_total", "reason" => reason).increment(1);
    }

    /// The analytics rollups this recorder's writer flushes; the hot paths feed them.
    pub fn rollups(&self) -> &Arc<Rollups> {
        &self.rollups
    }

    /// Events this recorder and its clones have dropped since it started.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl TelemetryWriter {
    /// Stops taking events, writes those already queued, and waits for that up to `grace`.
    /// Answers whether the writer ended in time.
    pub async fn finish(self, grace: Duration) -> bool {
        let TelemetryWriter { stop, task } = self;
        let _ = stop.send(());
        match tokio::time::timeout(grace, task).await {
            Ok(Ok(())) => true,
            Ok(Err(err)) => {
                tracing::error!(error = %err, "the telemetry writer failed");
                false
            }
            Err(_) => {
                tracing::warn!("telemetry still queued at shutdown was not written in time");
                false
            }
        }
    }
}

/// The analytics rollups the writer flushes, and how often.
struct RollupFlush {
    rollups: Arc<Rollups>,
    every: Duration,
}

impl RollupFlush {
    async fn run(&self, lane: &WriteLane) {
        if let Err(err) = crate::analytics::rollup::flush(lane, &self.rollups).await {
            tracing::warn!(error = %err, "analytics rollups not written; kept for the next flush");
        }
    }
}

async fn write_until_stopped(
    lane: WriteLane,
    mut events: mpsc::Receiver<ServerEvent>,
    mut stop: oneshot::Receiver<()>,
    flush: RollupFlush,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH_ROWS);
    let mut flush_due = tokio::time::interval(flush.every);
    flush_due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            // Due once an interval, so a busy queue cannot hold the rollups back.
            _ = flush_due.tick() => flush.run(&lane).await,
            // Queued events before stopping: stopping only once the queue is empty loses
            // nothing.
            received = events.recv_many(&mut batch, MAX_BATCH_ROWS) => {
                if received == 0 {
                    // Every recorder is gone and the queue is empty.
                    break;
                }
                write_batch(&lane, &mut batch).await;
            }
            // Sent by `finish`, or the writer handle was dropped.
            _ = &mut stop => break,
        }
    }
    // Refuse new events, then write what is still queued, and the rollups last (writing
    // events never adds to them, so nothing is left behind).
    events.close();
    while events.recv_many(&mut batch, MAX_BATCH_ROWS).await > 0 {
        write_batch(&lane, &mut batch).await;
    }
    flush.run(&lane).await;
}

/// Inserts `batch` (emptying it). Failures are logged and counted: telemetry is never worth
/// stopping for.
async fn write_batch(lane: &WriteLane, batch: &mut Vec<ServerEvent>) {
    let received_at = Utc::now().trunc_subsecs(6);
    let count = batch.len();
    let rows: Vec<_> = batch
        .drain(..)
        .map(|event| event.into_row(received_at))
        .collect();
    let written = telemetry_events::Entity::insert_many(rows)
        // Event ids are fresh uuids, so this never fires; it keeps a retry harmless.
        .on_conflict_do_nothing_on([
            telemetry_events::Column::ClientKey,
            telemetry_events::Column::EventId,
        ])
        .exec_without_returning(&lane.db);
    let written = {
        let _turn = lane.turn().await;
        written.await
    };
    match written {
        Ok(TryInsertResult::Inserted(rows)) => {
            metrics::counter!("lossy_telemetry_written_total").increment(rows);
        }
        Ok(TryInsertResult::Empty | TryInsertResult::Conflicted) => {}
        Err(err) => {
            metrics::counter!("lossy_telemetry_write_errors_total").increment(1);
            tracing::warn!(error = %err, events = count, "server telemetry not written");
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DatabaseConnection, PaginatorTrait};
    use serde_json::json;

    use super::*;
    use crate::settings::store::testing::database_with_user;
    use crate::telemetry::names;

    async fn stored(db: &DatabaseConnection) -> u64 {
        telemetry_events::Entity::find()
            .count(db)
            .await
            .expect("count")
    }

    #[tokio::test]
    async fn a_full_queue_drops_instead_of_waiting() {
        let (db, _) = database_with_user().await;
        let (recorder, writer) = TelemetryRecorder::start(WriteLane::new(db.clone()), 4);
        // On this single-threaded runtime the writer cannot run until we yield, so exactly
        // four events fit and the rest are dropped by a call that returns at once.
        for _ in 0..10 {
            // `record` answers `()`, not a future: there is nothing it could wait for.
            let () = recorder.record(ServerEvent::new("test.flood", TelemetryLevel::Debug));
        }
        assert_eq!(recorder.dropped(), 6);
        assert!(writer.finish(Duration::from_secs(10)).await);
        assert_eq!(stored(&db).await, 4);
    }

    #[tokio::test]
    async fn drops_are_rolled_up_and_finishing_flushes_the_rollups() {
        let (db, _) = database_with_user().await;
        let rollups = Arc::new(Rollups::new());
        // An hour between flushes: only the final one can write the rollups.
        let (recorder, writer) = TelemetryRecorder::start_with_rollups(
            WriteLane::new(db.clone()),
            1,
            rollups.clone(),
            Duration::from_secs(3600),
        );
        for _ in 0..3 {
            recorder.record(ServerEvent::new("test.flood", TelemetryLevel::Debug));
        }
        recorder.rollups().count(Series::Resets, 1);
        assert!(writer.finish(Duration::from_secs(10)).await);
        let rows = lossy_entities::metric_rollups::Entity::find()
            .all(&db)
            .await
            .expect("rows");
        let count = |series: Series| {
            rows.iter()
                .filter(|r| r.series == series.as_str())
                .map(|r| r.count)
                .sum::<i64>()
        };
        assert_eq!(count(Series::TelemetryDropped), 2);
        assert_eq!(count(Series::Resets), 1);
        assert!(rollups.take().is_empty());
    }

    #[tokio::test]
    async fn finishing_writes_everything_queued_in_batches() {
        let (db, _) = database_with_user().await;
        let (recorder, writer) =
            TelemetryRecorder::start(WriteLane::new(db.clone()), 2 * MAX_BATCH_ROWS + 7);
        for i in 0..2 * MAX_BATCH_ROWS + 7 {
            recorder.record(
                ServerEvent::new(names::VOICE_TRANSITION, TelemetryLevel::Info)
                    .properties(json!({ "i": i })),
            );
        }
        assert_eq!(recorder.dropped(), 0);
        assert!(writer.finish(Duration::from_secs(10)).await);
        assert_eq!(stored(&db).await, (2 * MAX_BATCH_ROWS + 7) as u64);
        // After the writer has stopped, events are dropped, not queued forever.
        recorder.record(ServerEvent::new("test.late", TelemetryLevel::Info));
        assert_eq!(recorder.dropped(), 1);
    }

    #[tokio::test]
    async fn server_events_are_stored_with_the_server_key_and_fresh_ids() {
        let (db, user) = database_with_user().await;
        let (recorder, writer) = TelemetryRecorder::start(WriteLane::new(db.clone()), 16);
        let session = Uuid::new_v4();
        let at = Utc::now() - chrono::Duration::seconds(3);
        recorder.record(
            ServerEvent::new(names::VOICE_RESET, TelemetryLevel::Warn)
                .user(user)
                .session(session)
                .at(at)
                .properties(json!({ "reason": "gap" })),
        );
        recorder.record(
            ServerEvent::new("test.scalar", TelemetryLevel::Error).properties(json!("oops")),
        );
        assert!(writer.finish(Duration::from_secs(10)).await);

        let rows = telemetry_events::Entity::find()
            .all(&db)
            .await
            .expect("rows");
        assert_eq!(rows.len(), 2);
        let reset = rows
            .iter()
            .find(|r| r.name == names::VOICE_RESET)
            .expect("reset");
        assert_eq!(reset.client_key, SERVER_CLIENT_KEY);
        assert_eq!(reset.source, "server");
        assert_eq!(reset.level, "warn");
        assert_eq!(reset.user_id, Some(user));
        assert_eq!(reset.session_id, Some(session));
        assert_eq!(reset.device_id, None);
        assert_eq!(reset.occurred_at, at.trunc_subsecs(6));
        assert!(reset.received_at >= reset.occurred_at);
        assert_eq!(reset.properties, json!({ "reason": "gap" }));
        assert!(Uuid::parse_str(&reset.event_id).is_ok());
        let scalar = rows
            .iter()
            .find(|r| r.name == "test.scalar")
            .expect("scalar");
        assert_eq!(scalar.properties, json!({ "value": "oops" }));
        assert_ne!(scalar.event_id, reset.event_id);
    }

    #[tokio::test]
    async fn database_errors_are_survived() {
        let (db, _) = database_with_user().await;
        let (recorder, writer) = TelemetryRecorder::start(WriteLane::new(db.clone()), 16);
        db.execute_unprepared("ALTER TABLE telemetry_events RENAME TO telemetry_away")
            .await
            .expect("hide the table");
        recorder.record(ServerEvent::new("test.lost", TelemetryLevel::Info));
        // Let the writer try (and fail) before the table comes back.
        tokio::time::sleep(Duration::from_millis(100)).await;
        db.execute_unprepared("ALTER TABLE telemetry_away RENAME TO telemetry_events")
            .await
            .expect("restore the table");
        recorder.record(ServerEvent::new("test.kept", TelemetryLevel::Info));
        assert!(
            writer.finish(Duration::from_secs(10)).await,
            "the writer panicked"
        );
        let names: Vec<String> = telemetry_events::Entity::find()
            .all(&db)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, ["test.kept"]);
    }

    #[tokio::test]
    async fn the_writer_ends_when_every_recorder_is_gone() {
        let (db, _) = database_with_user().await;
        let (recorder, writer) = TelemetryRecorder::start(WriteLane::new(db.clone()), 16);
        recorder.record(ServerEvent::new("test.last", TelemetryLevel::Info));
        drop(recorder);
        let TelemetryWriter { stop, task } = writer;
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the writer ended")
            .expect("without panicking");
        drop(stop);
        assert_eq!(stored(&db).await, 1);
    }
}
