//! What a step answers: the outcome of the input (the `VoiceEventAck.outcome` for events), the
//! transitions to persist and publish, and the commands for the client (PROTOCOL.md 5.4).

use super::Millis;
use super::input::StopReason;
use super::state::VoiceState;

/// The result of one [`super::VoiceMachine::step`], besides the new machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub outcome: Outcome,
    /// In the order they happened; timers fired by the step come first, at their own times.
    pub transitions: Vec<Transition>,
    /// In the order they were decided.
    pub commands: Vec<Command>,
}

impl Step {
    pub(super) fn new(outcome: Outcome) -> Step {
        Step {
            outcome,
            transitions: Vec::new(),
            commands: Vec::new(),
        }
    }

    /// The reason an event was ignored, if it was.
    pub fn ignored(&self) -> Option<IgnoreReason> {
        match self.outcome {
            Outcome::Ignored(reason) => Some(reason),
            _ => None,
        }
    }

    /// Whether nothing at all happened: no transition and no command.
    pub fn is_quiet(&self) -> bool {
        self.transitions.is_empty() && self.commands.is_empty()
    }
}

/// What became of the input. Inputs other than events answer [`Outcome::Applied`] (or
/// [`Outcome::Reset`] for [`super::Input::ResetRequested`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The event was taken; `appliedSeq` advanced.
    Applied,
    /// `seq` at or below `appliedSeq`: already applied, no effect.
    Duplicate,
    /// Valid but not acted on, for this reason; `appliedSeq` advanced.
    Ignored(IgnoreReason),
    /// The client must adopt a fresh snapshot; `appliedSeq` did not advance.
    Reset(ResetReason),
}

impl Outcome {
    /// The GraphQL `outcome` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "APPLIED",
            Outcome::Duplicate => "DUPLICATE",
            Outcome::Ignored(_) => "IGNORED",
            Outcome::Reset(_) => "RESET",
        }
    }

    /// The ack's `reason`, for ignored and reset events.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Outcome::Ignored(reason) => Some(reason.as_str()),
            Outcome::Reset(reason) => Some(reason.as_str()),
            Outcome::Applied | Outcome::Duplicate => None,
        }
    }

    /// Whether `appliedSeq` moved to the event's seq (PROTOCOL.md 8.5): applied and ignored
    /// events, except those a closed session ignores.
    pub fn advances_seq(self) -> bool {
        match self {
            Outcome::Applied => true,
            Outcome::Ignored(reason) => reason != IgnoreReason::Closed,
            Outcome::Duplicate | Outcome::Reset(_) => false,
        }
    }
}

/// Why a valid event was not acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreReason {
    /// The session is closed. The only ignored event that does not advance `appliedSeq`: a
    /// closed machine never changes.
    Closed,
    /// A speech event in `idle`.
    Idle,
    /// A `SPEECH_START` in `cooldown`, too late to merge and too early to begin anew.
    Cooldown,
    /// A `SPEECH_START` while an utterance is recording.
    AlreadyRecording,
    /// A speech event while capture is in `error`.
    CaptureError,
    /// A `SPEECH_END` with no utterance recording.
    NoUtterance,
    /// A `SPEECH_END` for another utterance than the one recording.
    UtteranceMismatch,
    /// A `SPEECH_END` for an utterance that already ended (the server may have ended it).
    UtteranceEnded,
    /// A `SPEECH_START` with the id of an utterance that already ended.
    UtteranceReused,
    /// `occurredAt` more than [`super::MAX_CLOCK_AHEAD_MS`] ahead of the server.
    FutureTimestamp,
    /// An empty utterance id, a negative, infinite or NaN media time, a negative duration.
    InvalidValue,
    /// A `SPEECH_START` while the session waits to stop after its utterance in flight.
    Stopping,
}

impl IgnoreReason {
    pub fn as_str(self) -> &'static str {
        match self {
            IgnoreReason::Closed => "closed",
            IgnoreReason::Idle => "idle",
            IgnoreReason::Cooldown => "cooldown",
            IgnoreReason::AlreadyRecording => "already_recording",
            IgnoreReason::CaptureError => "capture_error",
            IgnoreReason::NoUtterance => "no_utterance",
            IgnoreReason::UtteranceMismatch => "utterance_mismatch",
            IgnoreReason::UtteranceEnded => "utterance_ended",
            IgnoreReason::UtteranceReused => "utterance_reused",
            IgnoreReason::FutureTimestamp => "future_timestamp",
            IgnoreReason::InvalidValue => "invalid_value",
            IgnoreReason::Stopping => "stopping",
        }
    }
}

/// Why the client must adopt a fresh snapshot (PROTOCOL.md 5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetReason {
    /// The event's seq skipped at least one: an event was dropped.
    Gap,
    /// An event reached a disconnected session, which accepts none until it is resumed.
    Disconnected,
    /// [`super::Input::ResetRequested`].
    Requested,
}

impl ResetReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ResetReason::Gap => "gap",
            ResetReason::Disconnected => "disconnected",
            ResetReason::Requested => "requested",
        }
    }
}

/// One change of state (or a re-entry of `error`, see [`Cause::Error`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    /// `None` only for the creation of a session.
    pub from: Option<VoiceState>,
    pub to: VoiceState,
    pub cause: Cause,
    /// `now` for a transition caused by the input; the deadline for one caused by a timer, so
    /// a late tick still logs when things were due.
    pub at: Millis,
}

/// Why a transition happened (`VoiceStatus.cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// `startVoiceSession`: a new session, or an idle (or circuit-open) one woken up.
    Started,
    /// A `SPEECH_START` began an utterance.
    SpeechStart,
    /// A `SPEECH_START` within `mergeWithinMs` continued the utterance in cooldown.
    SpeechMerged,
    /// A `SPEECH_END` long enough: cooldown.
    SpeechEnd,
    /// A `SPEECH_END` shorter than `minSpeechMs`: back to observing.
    SpeechTooShort,
    /// No `SPEECH_END` by `maxSpeechMs` plus grace.
    MaxSpeech,
    /// The cooldown passed (by the server's timer, or on the client's clock, see the module
    /// documentation).
    CooldownElapsed,
    /// `idleStopMs` without speech.
    IdleStop,
    /// An `ERROR`; capture restarts. Also the cause of `error` → `error` when a further error
    /// arrives during a restart, so the log shows each restart.
    Error,
    /// An `ERROR` beyond `maxRestarts` within the window; capture stops.
    CircuitOpen,
    /// The first heartbeat after a restart's backoff: capture works again.
    RestartRecovered,
    /// No event for `heartbeatTimeoutMs`.
    HeartbeatTimeout,
    /// The socket closed.
    SocketClosed,
    /// Rebuilt from a snapshot after a server restart.
    ServerRestarted,
    /// `resumeVoiceSession` on a disconnected session: `disconnected` → `reconnecting`.
    ResumeRequested,
    /// `reconnecting` → the state the session was in.
    Resumed,
    /// The session closed; the cause is the session's end reason.
    Closed(StopReason),
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Started => "started",
            Cause::SpeechStart => "speech_start",
            Cause::SpeechMerged => "speech_merged",
            Cause::SpeechEnd => "speech_end",
            Cause::SpeechTooShort => "speech_too_short",
            Cause::MaxSpeech => "max_speech",
            Cause::CooldownElapsed => "cooldown_elapsed",
            Cause::IdleStop => "idle_stop",
            Cause::Error => "error",
            Cause::CircuitOpen => "circuit_open",
            Cause::RestartRecovered => "restart_recovered",
            Cause::HeartbeatTimeout => "heartbeat_timeout",
            Cause::SocketClosed => "socket_closed",
            Cause::ServerRestarted => "server_restarted",
            Cause::ResumeRequested => "resume_requested",
            Cause::Resumed => "resumed",
            Cause::Closed(reason) => reason.as_str(),
        }
    }
}

/// What the client must do (PROTOCOL.md 5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    PauseVideo,
    ResumeVideo,
    /// End the utterance in flight now and transcribe what was captured.
    StopUtterance,
    StopCapture {
        reason: CaptureStopReason,
    },
    /// Restart capture after waiting `backoff_ms`.
    RestartCapture {
        backoff_ms: Millis,
    },
    /// Clear the event buffer and adopt the session's snapshot.
    ResetSession,
}

impl Command {
    /// The protocol name (`PAUSE_VIDEO`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Command::PauseVideo => "PAUSE_VIDEO",
            Command::ResumeVideo => "RESUME_VIDEO",
            Command::StopUtterance => "STOP_UTTERANCE",
            Command::StopCapture { .. } => "STOP_CAPTURE",
            Command::RestartCapture { .. } => "RESTART_CAPTURE",
            Command::ResetSession => "RESET_SESSION",
        }
    }
}

/// Why capture must stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureStopReason {
    /// `idleStopMs` without speech (the session goes `idle`).
    NoSpeechTimeout,
    /// Too many errors within the window.
    CircuitOpen,
    /// The session closed.
    SessionClosed(StopReason),
}

impl CaptureStopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureStopReason::NoSpeechTimeout => "no_speech_timeout",
            CaptureStopReason::CircuitOpen => "circuit_open",
            CaptureStopReason::SessionClosed(reason) => reason.as_str(),
        }
    }
}
