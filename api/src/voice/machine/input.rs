//! What can happen to a session: the client's sequenced events (PROTOCOL.md 5.2), the
//! mutations that start, resume and stop it, the socket closing, and time passing.

use serde::{Deserialize, Serialize};

use super::Millis;

/// One thing that happened to a session, handed to [`super::VoiceMachine::step`].
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `startVoiceSession` with `resumeSessionId`: wakes an `idle` session, or one whose
    /// circuit breaker opened. A disconnected session is resumed first.
    Start,
    /// A sequenced `voiceEvent` (also each event replayed by `resumeVoiceSession`).
    Event(VoiceEvent),
    /// Time passed: fires every timer due at `now`. Every other input does this first too.
    Tick,
    /// The socket carrying the session's client closed.
    SocketClosed,
    /// `resumeVoiceSession`, before its events are replayed one by one.
    Resume,
    /// `stopVoiceSession`, or the runtime ending the session.
    Stop { reason: StopReason },
    /// The video context moved away: close once the utterance in flight has been submitted,
    /// or after [`super::TRANSCRIPT_GRACE_MS`] at the latest (see the module documentation).
    StopAfterUtterance { reason: StopReason },
    /// A transcript of this session became a note, `kept` by the quality gate or not.
    NoteRecorded {
        utterance_id: Option<String>,
        kept: bool,
    },
    /// The runtime decided the client must adopt a fresh snapshot (for instance a
    /// `lastKnownState` that does not describe this session): answers `RESET` and pushes
    /// `RESET_SESSION`, changing nothing else.
    ResetRequested,
}

/// A sequenced client event.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceEvent {
    /// Starts at 1 per session, contiguous.
    pub seq: i64,
    /// When the client says it happened, mapped by the runtime onto the caller's clock. Only
    /// differences between two events of the same client are used, so a skewed client clock
    /// cancels out; see the module documentation.
    pub occurred_at: Millis,
    pub kind: EventKind,
}

/// The four sequenced kinds of PROTOCOL.md 5.2, with their fields.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    SpeechStart {
        utterance_id: String,
        /// Playhead in seconds when speech began, after pre-roll correction.
        media_time: f64,
        video_playing: bool,
    },
    SpeechEnd {
        utterance_id: String,
        /// Length of the speech as the client's VAD measured it.
        duration_ms: i64,
        reason: SpeechEndReason,
    },
    Heartbeat,
    /// The client's capture failed.
    Error {
        message: String,
    },
}

impl EventKind {
    /// The protocol name (`SPEECH_START`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::SpeechStart { .. } => "SPEECH_START",
            EventKind::SpeechEnd { .. } => "SPEECH_END",
            EventKind::Heartbeat => "HEARTBEAT",
            EventKind::Error { .. } => "ERROR",
        }
    }
}

/// Why the client's speech ended (the GraphQL enum `SpeechEndReason`). Recorded on the
/// utterance; the machine treats every reason alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SpeechEndReason {
    NaturalEnd,
    MaxDuration,
    StuckState,
    ForcedEnd,
    PushToTalkRelease,
}

impl SpeechEndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeechEndReason::NaturalEnd => "NATURAL_END",
            SpeechEndReason::MaxDuration => "MAX_DURATION",
            SpeechEndReason::StuckState => "STUCK_STATE",
            SpeechEndReason::ForcedEnd => "FORCED_END",
            SpeechEndReason::PushToTalkRelease => "PUSH_TO_TALK_RELEASE",
        }
    }
}

/// Why a session closed: its `endReason`, and the reason of the `STOP_CAPTURE` sent with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// `stopVoiceSession`.
    UserStopped,
    /// Another tab claimed the video context (PROTOCOL.md 8.5, one live session per user).
    ContextMoved,
    /// Disconnected for `sessionTtlMs`.
    SessionTtlExpired,
    /// Rebuilt after a server restart with its TTL already passed.
    ServerRestartExpired,
    /// The runtime closed a session that sat in `idle`.
    Idle,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::UserStopped => "user_stopped",
            StopReason::ContextMoved => "context_moved",
            StopReason::SessionTtlExpired => "session_ttl_expired",
            StopReason::ServerRestartExpired => "server_restart_expired",
            StopReason::Idle => "idle",
        }
    }
}
