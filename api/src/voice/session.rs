//! One live voice session: a task that owns the machine, applies its inbox strictly in order,
//! sleeps until the machine's next deadline, and for every step persists first and publishes
//! second.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep_until;
use uuid::Uuid;

use super::clock::SessionClock;
use serde_json::json;

use super::machine::{
    Cause, Command, Counters, EventKind, Input, Outcome, Step, StopReason, VoiceConfig, VoiceEvent,
    VoiceMachine, VoiceState,
};
use super::store::SessionOwner;
use super::writer::{OwnedStep, StepWriter};
use crate::analytics::Series;
use crate::bus::KeyedTopic;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, ShutdownSignal};
use crate::telemetry::{ServerEvent, TelemetryLevel, TelemetryRecorder, names};

/// Messages a session can hold before senders wait (backpressure on that one session only).
pub const INBOX: usize = 64;

/// What `voiceStatus` streams.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceStatus {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub state: VoiceState,
    pub previous_state: Option<VoiceState>,
    pub cause: String,
    pub seq: i64,
    pub counters: Counters,
    pub command: Option<Command>,
    pub at: DateTime<Utc>,
}

/// The answer to one sequenced event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventAck {
    pub applied_seq: i64,
    pub state: VoiceState,
    pub outcome: Outcome,
}

/// The answer to a resume: how it went and the session as it now is.
#[derive(Debug, Clone)]
pub struct ResumeAck {
    pub outcome: Outcome,
    pub view: SessionView,
}

/// The client's `lastKnownState` on resume, as far as the server checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownState {
    pub session_id: Uuid,
    /// The last seq the client saw applied.
    pub seq: i64,
}

/// What a session answers about an utterance (`voice::service::utterance_heard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard {
    pub user_id: Uuid,
    pub video_id: Option<Uuid>,
    pub knows: bool,
}

/// A read of the session for GraphQL.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub id: Uuid,
    pub owner: SessionOwner,
    pub machine: VoiceMachine,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

type Reply<T> = oneshot::Sender<AppResult<T>>;

pub enum Message {
    Event {
        event: VoiceEvent,
        /// When the server received the event, for the event-to-status latency.
        received: std::time::Instant,
        reply: Reply<EventAck>,
    },
    Resume {
        socket: Option<Uuid>,
        /// What the client believed about the session (`lastKnownState`), if it said.
        known: Option<KnownState>,
        events: Vec<VoiceEvent>,
        reply: Reply<ResumeAck>,
    },
    /// `startVoiceSession` with this session's id: wake an idle session.
    Restart {
        socket: Option<Uuid>,
        reply: Reply<SessionView>,
    },
    Stop {
        reason: StopReason,
        reply: Option<Reply<SessionView>>,
    },
    /// A transcript of this session became a note (`kept` by the quality gate or not); counts
    /// kept notes and ends a wait for the utterance in flight.
    NoteRecorded {
        utterance_id: Option<String>,
        kept: bool,
    },
    /// Ends the session once its utterance in flight (still recording, or ended with its
    /// transcript not yet submitted) has been submitted, or after a grace period at the latest.
    StopAfterUtterance {
        reason: StopReason,
    },
    SocketClosed {
        socket: Uuid,
    },
    View {
        reply: Reply<SessionView>,
    },
    /// Whether the session heard an utterance, and whose and for which video it is.
    Heard {
        utterance: String,
        reply: Reply<Heard>,
    },
    /// Makes the task panic, to test the supervisor.
    #[cfg(test)]
    Panic,
}

/// How the rest of the server talks to a live session.
#[derive(Clone)]
pub struct SessionHandle {
    pub id: Uuid,
    pub owner: Arc<SessionOwner>,
    inbox: mpsc::Sender<Message>,
    /// Which task of the session this reaches: a session that moved away and back runs in a
    /// new one.
    task: u64,
}

/// Numbers session tasks in this process.
static TASKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl SessionHandle {
    pub fn new(id: Uuid, owner: SessionOwner, inbox: mpsc::Sender<Message>) -> Self {
        SessionHandle {
            id,
            owner: Arc::new(owner),
            inbox,
            task: TASKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The task this handle reaches.
    pub fn task(&self) -> u64 {
        self.task
    }

    /// Sends and waits for the answer. A session that ended meanwhile answers `NOT_FOUND`; one
    /// whose task failed mid-message answers an internal error (it is rebuilt by then).
    pub async fn ask<T>(&self, message: impl FnOnce(Reply<T>) -> Message) -> AppResult<T> {
        let (tx, rx) = oneshot::channel();
        self.inbox.send(message(tx)).await.map_err(|_| ended())?;
        rx.await.map_err(|_| {
            AppError::Internal(anyhow::anyhow!(
                "voice session {} dropped a message",
                self.id
            ))
        })?
    }

    /// Fire and forget (socket closed, stop on context move).
    pub async fn tell(&self, message: Message) {
        let _ = self.inbox.send(message).await;
    }

    pub fn is_running(&self) -> bool {
        !self.inbox.is_closed()
    }
}

fn ended() -> AppError {
    AppError::Refused {
        code: "SESSION_CLOSED",
        status: axum::http::StatusCode::CONFLICT,
        message: "this voice session has ended; start a new one".into(),
    }
}

/// Everything a session task reaches outside itself. Narrower than [`AppState`] on purpose: the
/// task never queries the database directly, so its timers can be tested on paused tokio time
/// with a writer that answers at once (`timers` tests).
#[derive(Clone)]
pub struct SessionIo {
    /// Where steps are committed before they are published.
    pub writer: StepWriter,
    /// `voiceStatus` goes out here.
    pub statuses: Arc<KeyedTopic<Uuid, VoiceStatus>>,
    pub telemetry: TelemetryRecorder,
    pub shutdown: ShutdownSignal,
    /// Where the session's state shows in the admin console.
    pub live: Arc<super::live::LiveBoard>,
}

impl SessionIo {
    pub fn of(app: &AppState) -> SessionIo {
        SessionIo {
            writer: app.voice.writer.clone(),
            statuses: app.voice.statuses.clone(),
            telemetry: app.telemetry.clone(),
            shutdown: app.shutdown.clone(),
            live: app.voice.live.clone(),
        }
    }
}

/// The state a session task works on.
pub struct SessionTask {
    pub id: Uuid,
    pub owner: SessionOwner,
    pub machine: VoiceMachine,
    pub config: VoiceConfig,
    pub started_at: DateTime<Utc>,
    pub clock: SessionClock,
    /// The socket whose loss disconnects the session.
    pub socket: Option<Uuid>,
    pub io: SessionIo,
    /// The lease epoch this node claimed the session under; its steps are written under it.
    pub epoch: i64,
    /// Another node claimed the session (a step was refused under this epoch): the task ends
    /// without writing anything more.
    pub moved: bool,
}

impl SessionTask {
    /// Runs until the machine closes or every handle is gone.
    pub async fn run(&mut self, inbox: &mut mpsc::Receiver<Message>) {
        let shutdown = self.io.shutdown.clone();
        while self.machine.state() != VoiceState::Closed && !self.moved {
            let deadline = self
                .machine
                .next_deadline()
                .map(|at| self.clock.instant_at(at));
            tokio::select! {
                // The session stays as persisted; the next start rebuilds it in `disconnected`.
                () = shutdown.stopping() => return,
                message = inbox.recv() => match message {
                    // Boxed, as the timer step below: inline, the largest step's future (a
                    // write through the step writer) would size the task of every live
                    // session for its whole life, idle or not.
                    Some(message) => Box::pin(self.handle(message)).await,
                    None => return,
                },
                () = sleep_until(deadline.unwrap_or_else(tokio::time::Instant::now)), if deadline.is_some() => {
                    if let Err(err) = Box::pin(self.apply(Input::Tick, None)).await {
                        tracing::error!(session = %self.id, error = ?err, "a timer step failed");
                    }
                }
            }
        }
    }

    async fn handle(&mut self, message: Message) {
        match message {
            Message::Event {
                event,
                received,
                reply,
            } => {
                let seq = event.seq;
                let answer = self
                    .apply(Input::Event(event), Some(seq))
                    .await
                    .inspect(|_| {
                        metrics::histogram!("lossy_voice_event_to_status_seconds")
                            .record(received.elapsed().as_secs_f64());
                    })
                    .map(|step| EventAck {
                        applied_seq: self.machine.last_applied_seq(),
                        state: self.machine.state(),
                        outcome: step.outcome,
                    });
                let _ = reply.send(answer);
            }
            Message::Resume {
                socket,
                known,
                events,
                reply,
            } => {
                let answer = self.resume(socket, known, events).await;
                let _ = reply.send(answer);
            }
            Message::Restart { socket, reply } => {
                self.socket = socket.or(self.socket);
                let answer = self.apply(Input::Start, None).await.map(|_| self.view());
                let _ = reply.send(answer);
            }
            Message::Stop { reason, reply } => {
                let answer = self
                    .apply(Input::Stop { reason }, None)
                    .await
                    .map(|_| self.view());
                if let Some(reply) = reply {
                    let _ = reply.send(answer);
                }
            }
            Message::NoteRecorded { utterance_id, kept } => {
                let input = Input::NoteRecorded { utterance_id, kept };
                if let Err(err) = self.apply(input, None).await {
                    tracing::error!(session = %self.id, error = ?err, "could not count a note");
                }
            }
            Message::StopAfterUtterance { reason } => {
                let input = Input::StopAfterUtterance { reason };
                if let Err(err) = self.apply(input, None).await {
                    tracing::error!(session = %self.id, error = ?err, "could not stop after the utterance");
                }
            }
            Message::SocketClosed { socket } => {
                if self.socket == Some(socket) {
                    self.socket = None;
                    if let Err(err) = self.apply(Input::SocketClosed, None).await {
                        tracing::error!(session = %self.id, error = ?err, "could not record a socket loss");
                    }
                }
            }
            Message::View { reply } => {
                let _ = reply.send(Ok(self.view()));
            }
            Message::Heard { utterance, reply } => {
                let _ = reply.send(Ok(Heard {
                    user_id: self.owner.user_id,
                    video_id: self.owner.video_id,
                    knows: self.machine.knows_utterance(&utterance),
                }));
            }
            #[cfg(test)]
            Message::Panic => panic!("injected by a test"),
        }
    }

    /// Reconnects, then applies the buffered events in order; the first that cannot be applied
    /// (a gap) ends the replay with `RESET`.
    async fn resume(
        &mut self,
        socket: Option<Uuid>,
        known: Option<KnownState>,
        events: Vec<VoiceEvent>,
    ) -> AppResult<ResumeAck> {
        self.socket = socket;
        if self.machine.state() == VoiceState::Disconnected {
            self.apply(Input::Resume, None).await?;
        }
        // A client that believes in another session, or in events this one never applied,
        // cannot continue from its buffer: it adopts the snapshot instead.
        if let Some(known) = known
            && (known.session_id != self.id || known.seq > self.machine.last_applied_seq())
        {
            let step = self.apply(Input::ResetRequested, None).await?;
            return Ok(ResumeAck {
                outcome: step.outcome,
                view: self.view(),
            });
        }
        let mut outcome = Outcome::Applied;
        for event in events {
            let seq = event.seq;
            let step = self.apply(Input::Event(event), Some(seq)).await?;
            if matches!(step.outcome, Outcome::Reset(_)) {
                outcome = step.outcome;
                break;
            }
        }
        Ok(ResumeAck {
            outcome,
            view: self.view(),
        })
    }

    /// One step: compute, persist, then publish. If persisting fails the machine stays where it
    /// was and the caller gets the error.
    async fn apply(&mut self, input: Input, seq: Option<i64>) -> AppResult<Step> {
        let now = self.clock.now();
        let at = self.clock.wall(now);
        let started = std::time::Instant::now();
        let (next, step) = self.machine.step(&input, now, &self.config);
        if next != self.machine {
            let written = OwnedStep {
                machine: next.clone(),
                seq,
                transitions: step.transitions.clone(),
                command: step.commands.first().copied(),
                at,
                epoch: self.epoch,
            };
            if let Err(err) = self.io.writer.write(self.id, written).await {
                if err.code() == "SESSION_MOVED" {
                    tracing::info!(session = %self.id, "another node runs this voice session now");
                    self.moved = true;
                }
                return Err(err);
            }
        }
        let previous = self.machine.state();
        self.machine = next;
        let last_event_at = self.machine.last_event_at().map(|at| self.clock.wall(at));
        self.io
            .live
            .stepped(self.id, self.machine.state(), last_event_at);
        if previous != self.machine.state() {
            count_state(previous, -1.0);
            count_state(self.machine.state(), 1.0);
        }
        self.publish(&input, &step, Some(previous), at);
        self.observe(&input, &step, started);
        Ok(step)
    }

    /// Publishes what the step means for clients: one status per command, else one for the
    /// transition or the applied event, so every applied event is answered on `voiceStatus`.
    pub fn publish(
        &self,
        input: &Input,
        step: &Step,
        previous: Option<VoiceState>,
        at: DateTime<Utc>,
    ) {
        let cause = step
            .transitions
            .last()
            .map(|t| t.cause.as_str().to_owned())
            .unwrap_or_else(|| input_cause(input).to_owned());
        let status = |command: Option<Command>| VoiceStatus {
            session_id: self.id,
            user_id: self.owner.user_id,
            state: self.machine.state(),
            previous_state: previous.filter(|p| *p != self.machine.state()),
            cause: cause.clone(),
            seq: self.machine.last_applied_seq(),
            counters: self.machine.counters(),
            command,
            at,
        };
        // A recorded note changes the counters (`notesCreated`), which clients show.
        let answers_event = matches!(input, Input::NoteRecorded { .. })
            || matches!(input, Input::Event(_)) && !matches!(step.outcome, Outcome::Duplicate);
        if step.commands.is_empty() {
            if !step.transitions.is_empty() || answers_event {
                self.io.statuses.publish(self.owner.user_id, status(None));
            }
        } else {
            for command in &step.commands {
                self.io
                    .statuses
                    .publish(self.owner.user_id, status(Some(*command)));
            }
        }
    }

    /// Telemetry and metrics for a step: every transition, ignored event, reset, error and
    /// restart, each with the session id.
    fn observe(&self, input: &Input, step: &Step, started: std::time::Instant) {
        let rollups = self.io.telemetry.rollups();
        for transition in &step.transitions {
            // The analytics series' definitions: docs/analytics.md.
            if transition.to == VoiceState::Disconnected {
                rollups.count(Series::Disconnects, 1);
            } else if transition.cause == Cause::Resumed {
                rollups.count(Series::Reconnects, 1);
            }
            if transition.cause == Cause::Error {
                rollups.count(Series::Errors, 1);
            }
            let from = transition.from.map_or("new", |state| state.as_str());
            metrics::counter!("lossy_voice_transitions_total", "from" => from, "to" => transition.to.as_str())
                .increment(1);
            self.record(
                names::VOICE_TRANSITION,
                TelemetryLevel::Info,
                json!({ "from": from, "to": transition.to.as_str(), "cause": transition.cause.as_str() }),
            );
            if transition.cause == Cause::Error {
                let message = match input {
                    Input::Event(VoiceEvent {
                        kind: EventKind::Error { message },
                        ..
                    }) => message.as_str(),
                    _ => "",
                };
                self.record(
                    names::VOICE_ERROR,
                    TelemetryLevel::Warn,
                    json!({ "message": message }),
                );
            }
        }
        for command in &step.commands {
            if let Command::RestartCapture { backoff_ms } = command {
                self.record(
                    names::VOICE_RESTART,
                    TelemetryLevel::Warn,
                    json!({ "backoffMs": backoff_ms }),
                );
            }
        }
        match &step.outcome {
            Outcome::Ignored(reason) => {
                metrics::counter!("lossy_voice_ignored_total", "reason" => reason.as_str())
                    .increment(1);
                let (kind, seq) = match input {
                    Input::Event(event) => (event.kind.as_str(), Some(event.seq)),
                    _ => ("", None),
                };
                self.record(
                    names::VOICE_EVENT_IGNORED,
                    TelemetryLevel::Info,
                    json!({ "reason": reason.as_str(), "kind": kind, "seq": seq }),
                );
            }
            Outcome::Reset(reason) => {
                metrics::counter!("lossy_voice_resets_total", "reason" => reason.as_str())
                    .increment(1);
                rollups.count(Series::Resets, 1);
                self.record(
                    names::VOICE_RESET,
                    TelemetryLevel::Warn,
                    json!({ "reason": reason.as_str(), "appliedSeq": self.machine.last_applied_seq() }),
                );
            }
            Outcome::Applied | Outcome::Duplicate => {}
        }
        metrics::histogram!("lossy_voice_step_seconds").record(started.elapsed().as_secs_f64());
    }

    fn record(&self, name: &'static str, level: TelemetryLevel, properties: serde_json::Value) {
        self.io.telemetry.record(
            ServerEvent::new(name, level)
                .user(self.owner.user_id)
                .device(self.owner.device_id)
                .session(self.id)
                .properties(properties),
        );
    }

    pub fn view(&self) -> SessionView {
        SessionView {
            id: self.id,
            owner: self.owner.clone(),
            machine: self.machine.clone(),
            started_at: self.started_at,
            ended_at: None,
            end_reason: None,
        }
    }
}

fn input_cause(input: &Input) -> &'static str {
    match input {
        Input::Event(event) => event.kind.as_str(),
        Input::Tick => "timer",
        Input::Start => "start",
        Input::SocketClosed => "socket_closed",
        Input::Resume => "resumed",
        Input::Stop { .. } => "stopped",
        Input::StopAfterUtterance { .. } => "stop_after_utterance",
        Input::NoteRecorded { .. } => "note_recorded",
        Input::ResetRequested => "reset",
    }
}

/// `lossy_voice_sessions{state}`: the live sessions of this server by state.
pub fn count_state(state: VoiceState, delta: f64) {
    metrics::gauge!("lossy_voice_sessions", "state" => state.as_str()).increment(delta);
}
