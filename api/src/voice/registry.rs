//! The live sessions of this server: starting them, finding them, and the supervisor that
//! keeps each task alive. A panic in one session's task is caught and the session is rebuilt
//! from its last persisted snapshot; other sessions never notice.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use futures_util::FutureExt;
use lossy_entities::voice_sessions;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::clock::SessionClock;
use super::live::{LiveBoard, LiveEntry};
use super::machine::{Input, VoiceConfig, VoiceMachine, VoiceState};
use super::service::{self, Moving};
use super::session::{
    INBOX, Message, SessionHandle, SessionIo, SessionTask, SessionView, VoiceStatus, count_state,
};
use super::store::{self, SessionOwner, StepRecord};
use super::writer::StepWriter;
use crate::bus::KeyedTopic;
use crate::db::WriteLane;
use crate::error::AppResult;

use crate::state::AppState;

/// Voice metrics are accepted at most this often per session.
const METRICS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

pub struct VoiceRegistry {
    sessions: Mutex<HashMap<Uuid, SessionHandle>>,
    last_metrics: Mutex<HashMap<Uuid, std::time::Instant>>,
    /// Where every session's steps are written.
    pub writer: StepWriter,
    /// Every session's statuses and commands (`voiceStatus`), by user.
    pub statuses: Arc<KeyedTopic<Uuid, VoiceStatus>>,
    /// Every live session's state, for the admin console (`liveSessions`).
    pub live: Arc<LiveBoard>,
}

impl VoiceRegistry {
    /// Starts the step writer on `lane`.
    pub fn new(lane: WriteLane) -> Self {
        VoiceRegistry {
            sessions: Mutex::default(),
            last_metrics: Mutex::default(),
            writer: StepWriter::start(lane),
            statuses: Arc::new(KeyedTopic::new("voice_status")),
            live: Arc::default(),
        }
    }

    /// True when the session has not reported metrics within the last second (and records
    /// this report).
    pub fn allow_metrics(&self, session: Uuid) -> bool {
        let Ok(mut last) = self.last_metrics.lock() else {
            return false;
        };
        let now = std::time::Instant::now();
        match last.get(&session) {
            Some(previous) if now.duration_since(*previous) < METRICS_EVERY => false,
            _ => {
                last.insert(session, now);
                true
            }
        }
    }

    pub(super) fn get(&self, id: Uuid) -> Option<SessionHandle> {
        self.sessions
            .lock()
            .ok()?
            .get(&id)
            .filter(|handle| handle.is_running())
            .cloned()
    }

    /// The user's live sessions (there is at most one unless a start raced).
    pub(super) fn of_user(&self, user_id: Uuid) -> Vec<SessionHandle> {
        self.sessions.lock().map_or_else(
            |_| Vec::new(),
            |sessions| {
                sessions
                    .values()
                    .filter(|h| h.owner.user_id == user_id && h.is_running())
                    .cloned()
                    .collect()
            },
        )
    }

    fn insert(&self, handle: SessionHandle) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|_, h| h.is_running());
            sessions.insert(handle.id, handle);
        }
    }

    /// Another node claimed the session: this node forgets it, and its task ends once the
    /// requests holding its handle are done (a step it tries meanwhile is refused).
    pub fn moved_away(&self, id: Uuid) {
        self.remove(id);
    }

    fn remove(&self, id: Uuid) {
        self.remove_if(id, |_| true);
    }

    /// Forgets the session if `which` says so of its handle; its metrics limit either way.
    fn remove_if(&self, id: Uuid, which: impl FnOnce(&SessionHandle) -> bool) {
        if let Ok(mut sessions) = self.sessions.lock()
            && sessions.get(&id).is_some_and(which)
        {
            sessions.remove(&id);
        }
        if let Ok(mut last) = self.last_metrics.lock() {
            last.remove(&id);
        }
    }
}

/// Starts a new session for `owner`, ending the user's previous live session (one live
/// session per user; the last active tab wins): one on the same tab, which the new session
/// replaces, at once; one on another tab once its utterance in flight has been submitted.
pub async fn start(
    app: &AppState,
    owner: SessionOwner,
    socket: Option<Uuid>,
) -> AppResult<SessionView> {
    service::end_sessions_of_user(app, owner.user_id, &owner.tab(), Moving::SessionStarting).await;
    let config = VoiceConfig::from(app.settings.load(&app.db, owner.user_id).await?.as_ref());
    let clock = SessionClock::default();
    let (machine, step) = VoiceMachine::new(clock.now(), &config);
    let id = Uuid::new_v4();
    let now = Utc::now();
    let record = StepRecord {
        machine: &machine,
        seq: None,
        transitions: &step.transitions,
        command: step.commands.first().copied(),
        at: now,
        epoch: store::FIRST_EPOCH,
    };
    store::insert(&app.db, id, &owner, record, lease(app, now)).await?;
    let task = SessionTask {
        id,
        owner,
        machine,
        config,
        started_at: now,
        clock,
        socket,
        io: SessionIo::of(app),
        epoch: store::FIRST_EPOCH,
        moved: false,
    };
    let view = task.view();
    task.publish(&Input::Start, &step, None, now);
    spawn(app, task);
    Ok(view)
}

/// This node's lease on a session, from `now`.
fn lease(app: &AppState, now: chrono::DateTime<Utc>) -> store::Lease<'_> {
    store::Lease {
        node: &app.node,
        until: now + chrono::Duration::from_std(app.config.session_lease()).unwrap_or_default(),
    }
}

/// At start-up: claims and rebuilds the sessions that were live when this node (or a node that
/// has stopped or died) last ran them, in `disconnected` (or closed when their time to live
/// has passed), and runs them. Sessions another live node holds stay with it.
pub async fn recover(app: &AppState) -> AppResult<usize> {
    take_over(app, true).await
}

/// On SQLite this node is the only one: every unfinished session is its own, whichever name
/// the process that ran it had.
fn alone(app: &AppState) -> bool {
    app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres
}

/// Claims the sessions of nodes that stopped renewing their leases (they died), as
/// [`recover`] does at start-up; this node's own sessions are already running.
async fn take_over(app: &AppState, own_too: bool) -> AppResult<usize> {
    let mut recovered = 0;
    for row in store::claimable(&app.db, &app.node, Utc::now(), alone(app)).await? {
        let own = row.node.as_deref() == Some(&*app.node);
        if (own && !own_too) || app.voice.get(row.id).is_some() {
            continue;
        }
        if adopt(app, row, alone(app)).await?.is_some() {
            recovered += 1;
        }
    }
    Ok(recovered)
}

/// Claims one session for this node (by force when its device has come here) and runs it,
/// rebuilt from its last committed step in `disconnected` until its device resumes it.
/// Answers `None` when another node claimed it first, or its time to live had passed.
async fn adopt(
    app: &AppState,
    row: voice_sessions::Model,
    force: bool,
) -> AppResult<Option<SessionHandle>> {
    let machine = match store::machine_of(&row) {
        Ok(machine) => machine,
        Err(err) => {
            tracing::error!(session = %row.id, error = ?err, "cannot rebuild a voice session");
            return Ok(None);
        }
    };
    let now = Utc::now();
    let Some(epoch) = store::claim(&app.db, row.id, row.epoch, lease(app, now), now, force).await?
    else {
        return Ok(None);
    };
    if row.node.as_deref().is_some_and(|node| node != &*app.node) {
        metrics::counter!("lossy_voice_sessions_taken_over_total").increment(1);
        app.doorbell
            .ring(crate::cluster::Ring::SessionMoved(row.id));
    }
    let config = VoiceConfig::from(app.settings.load(&app.db, row.user_id).await?.as_ref());
    let clock = SessionClock::default();
    let (machine, step) = machine.restored_after_restart(clock.now(), &config);
    let record = StepRecord {
        machine: &machine,
        seq: None,
        transitions: &step.transitions,
        command: step.commands.first().copied(),
        at: now,
        epoch,
    };
    store::save_step(&app.db, row.id, record).await?;
    if machine.state() == VoiceState::Closed {
        return Ok(None);
    }
    let task = SessionTask {
        id: row.id,
        owner: store::owner_of(&row),
        machine,
        config,
        started_at: row.started_at,
        clock,
        socket: None,
        io: SessionIo::of(app),
        epoch,
        moved: false,
    };
    Ok(Some(spawn(app, task)))
}

/// The live session `id` of `user_id`: this node's, or else, when it runs on another node (or
/// none), claimed here, since the device that drives it has come to this node.
pub async fn local_or_adopted(
    app: &AppState,
    id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<SessionHandle>> {
    if let Some(handle) = app.voice.get(id) {
        return Ok(Some(handle));
    }
    match store::find(&app.db, id).await? {
        Some(row) if row.user_id == user_id && row.ended_at.is_none() => {
            // Two requests of the device at once: one claims, the other finds it here.
            Ok(adopt(app, row, true).await?.or_else(|| app.voice.get(id)))
        }
        _ => Ok(None),
    }
}

/// Keeps this node's hold on its sessions for as long as it runs: renews their leases every
/// third of the lease, and takes over the sessions of nodes that stopped renewing theirs.
pub async fn keep_leases(app: AppState) {
    if alone(&app) {
        return;
    }
    let every = app.config.session_lease() / 3;
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = app.shutdown.stopping() => return,
            _ = ticks.tick() => {}
        }
        if let Err(err) = store::renew(&app.db, lease(&app, Utc::now())).await {
            tracing::warn!(error = ?err, "could not renew this node's voice session leases");
        }
        match take_over(&app, false).await {
            Ok(0) => {}
            Ok(taken) => tracing::info!(taken, "took over the voice sessions of a stopped node"),
            Err(err) => tracing::warn!(error = ?err, "could not take over stopped nodes' sessions"),
        }
    }
}

/// Lets go of `node`'s sessions as it stops, so that another node takes them at once.
pub async fn release(db: &sea_orm::DatabaseConnection, node: &str) {
    match store::release(db, node).await {
        Ok(0) => {}
        Ok(released) => tracing::info!(released, "voice sessions handed over"),
        Err(err) => tracing::warn!(error = ?err, "could not hand over voice sessions"),
    }
}

/// Registers the session and runs its task under a supervisor.
fn spawn(app: &AppState, mut task: SessionTask) -> SessionHandle {
    let (inbox_tx, mut inbox) = mpsc::channel(INBOX);
    let handle = SessionHandle::new(task.id, task.owner.clone(), inbox_tx);
    app.voice.insert(handle.clone());
    app.voice.live.started(LiveEntry {
        id: task.id,
        user_id: task.owner.user_id,
        video_id: task.owner.video_id,
        state: task.machine.state(),
        started_at: task.started_at,
        last_event_at: task.machine.last_event_at().map(|at| task.clock.wall(at)),
    });
    let app = app.clone();
    let task_number = handle.task();
    count_state(task.machine.state(), 1.0);
    tokio::spawn(async move {
        let id = task.id;
        loop {
            let run = AssertUnwindSafe(task.run(&mut inbox)).catch_unwind().await;
            if run.is_ok() {
                break;
            }
            tracing::error!(session = %id, "voice session task panicked; rebuilding it from its snapshot");
            metrics::counter!("lossy_voice_task_restarts_total").increment(1);
            // Boxed: rare, and its reads inline would size every session's task for good.
            match Box::pin(rebuild(&app, id, task.epoch)).await {
                Some(rebuilt) => {
                    count_state(task.machine.state(), -1.0);
                    count_state(rebuilt.machine.state(), 1.0);
                    app.voice.live.stepped(id, rebuilt.machine.state(), None);
                    task = rebuilt;
                }
                None => break,
            }
        }
        // Only this task's handle: the session may run again here, in a newer task, after it
        // moved away and back.
        app.voice
            .remove_if(id, |current| current.task() == task_number);
        app.voice.live.ended(id);
        count_state(task.machine.state(), -1.0);
    });
    handle
}

/// The task as last persisted; `None` when the session cannot be read back, or another node
/// has claimed it since.
async fn rebuild(app: &AppState, id: Uuid, epoch: i64) -> Option<SessionTask> {
    let row = store::find(&app.db, id).await.ok().flatten()?;
    if row.epoch != epoch {
        return None;
    }
    let machine = store::machine_of(&row).ok()?;
    let config = VoiceConfig::from(app.settings.load(&app.db, row.user_id).await.ok()?.as_ref());
    Some(SessionTask {
        id,
        owner: store::owner_of(&row),
        machine,
        config,
        started_at: row.started_at,
        clock: SessionClock::default(),
        socket: None,
        io: SessionIo::of(app),
        epoch,
        moved: false,
    })
}

/// A session as queries show it: the live task's own view when it runs, else its row.
pub async fn view(app: &AppState, id: Uuid) -> AppResult<Option<SessionView>> {
    if let Some(view) = live_view(app, id).await {
        return Ok(Some(view));
    }
    store::find(&app.db, id).await?.map(row_view).transpose()
}

/// The same for a row already read.
pub async fn view_of_row(app: &AppState, row: voice_sessions::Model) -> AppResult<SessionView> {
    match live_view(app, row.id).await {
        Some(view) => Ok(view),
        None => row_view(row),
    }
}

async fn live_view(app: &AppState, id: Uuid) -> Option<SessionView> {
    let handle = app.voice.get(id)?;
    handle.ask(|reply| Message::View { reply }).await.ok()
}

fn row_view(row: voice_sessions::Model) -> AppResult<SessionView> {
    Ok(SessionView {
        id: row.id,
        owner: store::owner_of(&row),
        machine: store::machine_of(&row)?,
        started_at: row.started_at,
        ended_at: row.ended_at,
        end_reason: row.end_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Application;
    use crate::config::Config;
    use crate::voice::machine::{EventKind, VoiceEvent};
    use crate::voice::testing::owner;

    #[tokio::test]
    async fn a_panicking_session_is_rebuilt_from_its_snapshot_and_others_carry_on() {
        let dir = tempfile::tempdir().unwrap();
        let built = Application::build(Config::local(dir.path().to_path_buf()))
            .await
            .unwrap();
        let app = built.state().clone();
        let (first, second) = (
            owner(&app, "a@lossy.test").await,
            owner(&app, "b@lossy.test").await,
        );
        let doomed = start(&app, first, None).await.unwrap().id;
        let bystander = start(&app, second, None).await.unwrap().id;

        let handle = app.voice.get(doomed).unwrap();
        let heartbeat = |seq| VoiceEvent {
            seq,
            occurred_at: chrono::Utc::now().timestamp_millis(),
            kind: EventKind::Heartbeat,
        };
        let event = |seq| {
            let handle = handle.clone();
            async move {
                handle
                    .ask(|reply| Message::Event {
                        event: heartbeat(seq),
                        received: std::time::Instant::now(),
                        reply,
                    })
                    .await
            }
        };
        assert_eq!(event(1).await.unwrap().applied_seq, 1);

        handle.tell(Message::Panic).await;
        // The rebuilt task answers with what was persisted before the panic, and goes on.
        let ack = event(2).await.unwrap();
        assert_eq!(ack.applied_seq, 2);
        assert_eq!(ack.state, VoiceState::Observing);

        let other = app.voice.get(bystander).unwrap();
        let view = other.ask(|reply| Message::View { reply }).await.unwrap();
        assert_eq!(view.machine.state(), VoiceState::Observing);
    }
}
