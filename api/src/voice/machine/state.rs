//! The data of one session: everything needed to continue it after a server restart, which is
//! why [`VoiceMachine`] serializes to the JSON snapshot the runtime persists.

use serde::{Deserialize, Serialize};

use super::Millis;
use super::config::TRANSCRIPT_GRACE_MS;
use super::input::{SpeechEndReason, StopReason};

/// The states of PROTOCOL.md 5.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceState {
    /// Capture stopped after `idleStopMs` without speech; `startVoiceSession` wakes it.
    Idle,
    Observing,
    Recording,
    Cooldown,
    /// Capture failed; restarting, or stopped for good if the circuit opened.
    Error,
    /// The client is gone; the session waits `sessionTtlMs` for it, its timers frozen.
    Disconnected,
    /// Passed through within one step on the way back from `disconnected`; never rests here.
    Reconnecting,
    /// Terminal.
    Closed,
}

impl VoiceState {
    /// The lower-case name used in logs, snapshots and metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceState::Idle => "idle",
            VoiceState::Observing => "observing",
            VoiceState::Recording => "recording",
            VoiceState::Cooldown => "cooldown",
            VoiceState::Error => "error",
            VoiceState::Disconnected => "disconnected",
            VoiceState::Reconnecting => "reconnecting",
            VoiceState::Closed => "closed",
        }
    }

    /// Every state but `closed`: the session still has a task, and `disconnected` counts,
    /// since it waits for its client.
    pub fn is_live(self) -> bool {
        self != VoiceState::Closed
    }

    /// The states with a client attached, which accept events and can time out: the "any live"
    /// of the 5.1 table, and the states a disconnected session returns to.
    pub fn is_connected(self) -> bool {
        matches!(
            self,
            VoiceState::Idle
                | VoiceState::Observing
                | VoiceState::Recording
                | VoiceState::Cooldown
                | VoiceState::Error
        )
    }
}

/// A session's counters (`VoiceSession.counters`). They only grow, and they add up: every
/// entry into `recording` is a detection or a merge, and every exit a speech end, a short
/// speech or a forced end, so `speech_detections + merged = speech_ends + ignored_short +
/// forced_ends + (1 while an utterance is recording, or was when the client disconnected)`.
/// `notes_created` stands apart from that sum: notes come from the notes feature, not from
/// the client's voice events.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// `SPEECH_START`s that began a new utterance.
    pub speech_detections: u32,
    /// `SPEECH_START`s within `mergeWithinMs` of a `SPEECH_END` that continued its utterance.
    pub merged: u32,
    /// `SPEECH_END`s long enough to move to cooldown (one per segment of a merged utterance).
    pub speech_ends: u32,
    /// `SPEECH_END`s shorter than `minSpeechMs`: the utterance was dropped as noise.
    pub ignored_short: u32,
    /// `SPEECH_START`s ignored in cooldown.
    pub ignored_cooldown: u32,
    /// Speech events ignored in `idle`.
    pub ignored_idle: u32,
    /// Utterances the server ended without a `SPEECH_END`: max speech, a capture error, or the
    /// session closing mid-utterance.
    pub forced_ends: u32,
    /// `ERROR` events taken.
    pub errors: u32,
    /// Returns from `error` to `observing` after a capture restart.
    pub restarts: u32,
    /// `RESET` answers (gaps, events while disconnected, requested resets).
    pub resets: u32,
    /// Entries into `disconnected` (heartbeat timeout, socket closed, server restart).
    pub disconnects: u32,
    /// `HEARTBEAT` events taken.
    pub heartbeats: u32,
    /// Transcripts of this session kept as notes by the quality gate. Absent from snapshots
    /// written before notes existed, hence the default.
    #[serde(default)]
    pub notes_created: u32,
}

/// The utterance recording, or the one that just ended while the session is in cooldown (it
/// may still be continued by a merge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Utterance {
    /// The id the next `SPEECH_END` must carry: the latest `SPEECH_START`'s (a merge may
    /// bring a new id).
    pub id: String,
    /// Playhead in seconds at the first `SPEECH_START`; a merge keeps it.
    pub media_time: f64,
    /// Whether the video played at the first `SPEECH_START`.
    pub video_was_playing: bool,
    /// Whether the video is paused on this utterance's account, so `RESUME_VIDEO` is owed:
    /// the server paused it, or this utterance cancelled a pending resume of the previous one.
    pub paused_video: bool,
    /// `occurredAt` of the first `SPEECH_START`.
    pub started_at: Millis,
    /// `occurredAt` of the `SPEECH_END`, once it came; `None` while recording and after the
    /// server ended the utterance itself.
    pub ended_at: Option<Millis>,
    /// The client's durations of the ended segments, added up.
    pub duration_ms: i64,
    /// 1, plus one per merge.
    pub segments: u32,
    pub end_reason: Option<SpeechEndReason>,
}

/// The last utterance that ended with speech worth transcribing, while its transcript has not
/// been recorded as a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwaitedTranscript {
    pub utterance_id: String,
    /// When it ended, on the caller's clock (arrival of the `SPEECH_END`, or the server's end).
    pub ended_at: Millis,
}

/// When each timer of the session is due, on the caller's clock; `None` when not armed. Only
/// the timers that can act in the current state count (see [`VoiceMachine::next_deadline`]).
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadlines {
    /// `recording` → `cooldown` (`maxSpeechMs` + grace after the start).
    pub max_speech: Option<Millis>,
    /// `cooldown` → `observing`.
    pub cooldown_end: Option<Millis>,
    /// `RESUME_VIDEO` for the utterance that paused the video.
    pub auto_resume: Option<Millis>,
    /// `observing` → `idle`. Survives an error and a disconnect: only speech disarms it.
    pub idle_stop: Option<Millis>,
    /// `connected` → `disconnected` if no event comes first.
    pub heartbeat: Option<Millis>,
    /// `disconnected` → `closed`.
    pub session_ttl: Option<Millis>,
    /// Not a timer: in `error`, a heartbeat before this time comes from before the capture
    /// restart and does not end the error.
    pub restart_ready: Option<Millis>,
    /// The latest a pending stop-after-utterance closes the session. Absent from snapshots
    /// written before it existed, hence the default.
    #[serde(default)]
    pub stop_grace: Option<Millis>,
}

/// Timers, in the order they fire when due at the same instant: speech first, so a heartbeat
/// timeout at the same millisecond as a max-speech cut sees the cut done; the stop grace
/// last, so it closes a session that every other timer has had its say on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Timer {
    MaxSpeech,
    CooldownEnd,
    AutoResume,
    IdleStop,
    Heartbeat,
    SessionTtl,
    StopGrace,
}

impl Timer {
    const ALL: [Timer; 7] = [
        Timer::MaxSpeech,
        Timer::CooldownEnd,
        Timer::AutoResume,
        Timer::IdleStop,
        Timer::Heartbeat,
        Timer::SessionTtl,
        Timer::StopGrace,
    ];

    /// Whether this timer acts in `state`. Timers that do not are kept (frozen, for a
    /// disconnected session) but never fire there.
    fn acts_in(self, state: VoiceState) -> bool {
        match self {
            Timer::MaxSpeech => state == VoiceState::Recording,
            Timer::CooldownEnd => state == VoiceState::Cooldown,
            Timer::IdleStop => state == VoiceState::Observing,
            Timer::AutoResume | Timer::Heartbeat => state.is_connected(),
            Timer::SessionTtl => state == VoiceState::Disconnected,
            // Not frozen by a disconnect: it bounds how long a session that lost its video
            // context lingers, client or not.
            Timer::StopGrace => state.is_live(),
        }
    }
}

/// One voice session, complete: state, sequencing, the utterance, counters, the circuit
/// breaker and every deadline. Plain data: [`VoiceMachine::step`] makes the next one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceMachine {
    pub(super) state: VoiceState,
    /// While disconnected: the connected state to return to.
    pub(super) resume_to: Option<VoiceState>,
    pub(super) last_applied_seq: i64,
    pub(super) utterance: Option<Utterance>,
    /// Ids of ended utterances, oldest first, at most [`super::ENDED_UTTERANCES_KEPT`].
    pub(super) ended_utterances: Vec<String>,
    pub(super) counters: Counters,
    /// `occurredAt` of the errors within the restart window.
    pub(super) error_times: Vec<Millis>,
    pub(super) circuit_open: bool,
    pub(super) deadlines: Deadlines,
    /// When the client was last heard, while disconnected: the instant the timers froze.
    pub(super) disconnected_at: Option<Millis>,
    /// Arrival of the last event taken (applied or ignored).
    pub(super) last_event_at: Option<Millis>,
    /// Arrival of anything from the client: an event taken, a start, a resume.
    pub(super) last_contact_at: Millis,
    pub(super) created_at: Millis,
    pub(super) end_reason: Option<StopReason>,
    /// The transcript the session still waits for. Absent from older snapshots.
    #[serde(default)]
    pub(super) awaited_transcript: Option<AwaitedTranscript>,
    /// Why the session closes once its utterance in flight is submitted, while such a stop
    /// waits (its deadline is `deadlines.stop_grace`). Absent from older snapshots.
    #[serde(default)]
    pub(super) pending_stop: Option<StopReason>,
}

impl VoiceMachine {
    pub fn state(&self) -> VoiceState {
        self.state
    }

    /// While disconnected, the state a resume returns to.
    pub fn resume_to(&self) -> Option<VoiceState> {
        self.resume_to
    }

    /// The `appliedSeq` of the acks: the seq of the last event applied or ignored.
    pub fn last_applied_seq(&self) -> i64 {
        self.last_applied_seq
    }

    /// The utterance recording, or the one in cooldown.
    pub fn utterance(&self) -> Option<&Utterance> {
        self.utterance.as_ref()
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Whether too many errors stopped capture for good (until `startVoiceSession`).
    pub fn circuit_open(&self) -> bool {
        self.circuit_open
    }

    pub fn deadlines(&self) -> Deadlines {
        self.deadlines
    }

    pub fn last_event_at(&self) -> Option<Millis> {
        self.last_event_at
    }

    pub fn created_at(&self) -> Millis {
        self.created_at
    }

    /// Why the session closed, once closed.
    pub fn end_reason(&self) -> Option<StopReason> {
        self.end_reason
    }

    /// The transcript the session still waits for, if any (it may be too old to count as in
    /// flight, see [`VoiceMachine::utterance_in_flight`]).
    pub fn awaited_transcript(&self) -> Option<&AwaitedTranscript> {
        self.awaited_transcript.as_ref()
    }

    /// The reason a stop waits for the utterance in flight, while one does.
    pub fn pending_stop(&self) -> Option<StopReason> {
        self.pending_stop
    }

    /// Whether an utterance is in flight at `now`: recording (or recording when the client
    /// disconnected), or ended less than [`super::TRANSCRIPT_GRACE_MS`] ago with its
    /// transcript not yet recorded.
    pub fn utterance_in_flight(&self, now: Millis) -> bool {
        self.recording_open()
            || self
                .awaited_transcript
                .as_ref()
                .is_some_and(|awaited| now < awaited.ended_at.saturating_add(TRANSCRIPT_GRACE_MS))
    }

    /// The earliest deadline that can act in the current state. The runtime sleeps until it
    /// and sends [`super::Input::Tick`]; `None` means nothing happens without an input. After
    /// any step at `now` it is later than `now`, since the step fires everything due.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.pending_timers().map(|(at, _)| at).min()
    }

    /// The timers that act in the current state, with their deadlines.
    pub(super) fn pending_timers(&self) -> impl Iterator<Item = (Millis, Timer)> + '_ {
        Timer::ALL
            .into_iter()
            .filter(|timer| timer.acts_in(self.state))
            .filter_map(|timer| self.deadline(timer).map(|at| (at, timer)))
    }

    pub(super) fn deadline(&self, timer: Timer) -> Option<Millis> {
        let d = &self.deadlines;
        match timer {
            Timer::MaxSpeech => d.max_speech,
            Timer::CooldownEnd => d.cooldown_end,
            Timer::AutoResume => d.auto_resume,
            Timer::IdleStop => d.idle_stop,
            Timer::Heartbeat => d.heartbeat,
            Timer::SessionTtl => d.session_ttl,
            Timer::StopGrace => d.stop_grace,
        }
    }

    /// Whether an utterance is recording, or was when the client disconnected.
    pub fn recording_open(&self) -> bool {
        self.state == VoiceState::Recording
            || (self.state == VoiceState::Disconnected
                && self.resume_to == Some(VoiceState::Recording))
    }
}
