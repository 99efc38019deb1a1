//! The voice session state machine of PROTOCOL.md section 5, as a pure function:
//! [`VoiceMachine::step`] takes the machine, one [`Input`], the time and the [`VoiceConfig`],
//! and returns the next machine with a [`Step`] (the outcome, the transitions to persist and
//! publish, the commands for the client). No IO, no clock, no randomness: the runtime owns the
//! task, the sleeping and the database; this module owns every decision.
//!
//! Read in this order: `state` (the data of one session, which is also its JSON snapshot),
//! `input`, `output`, `config`, then `step` (the rules of the 5.1 table).
//!
//! # Time
//!
//! [`Millis`] are milliseconds on the caller's clock. The runtime sleeps until
//! [`VoiceMachine::next_deadline`] and sends [`Input::Tick`]; every input first fires the
//! timers due at its `now`, in time order, so a late tick gives the result a punctual one
//! would. Snapshots restored after a restart need that clock to continue across processes
//! (for instance Unix epoch milliseconds advanced by tokio time).
//!
//! Timers run on the caller's clock from the arrival of what armed them. Intervals between two
//! client events run on the client's clock (`occurred_at` differences, in which a skewed clock
//! cancels out), as durations do (PROTOCOL.md 8.5): the merge window, the cooldown as a client
//! saw it, and the restart window. Events replayed after a reconnect arrive together, and
//! arrival times would misjudge all three.
//!
//! # Choices the protocol leaves open
//!
//! - **Sequencing.** `seq <= appliedSeq` is a duplicate and changes nothing; `appliedSeq + 1`
//!   is taken (applied or ignored, both advance it); anything higher is a gap: `RESET`,
//!   `RESET_SESSION`, counter `resets`, nothing else changes. A disconnected session takes no
//!   event: a contiguous one answers `RESET` (reason `disconnected`); the runtime resumes the
//!   session first. A closed session answers every event `IGNORED` (`closed`) without
//!   advancing `appliedSeq`, and no input changes it.
//! - **Liveness.** Every event taken (ignored ones too), a start and a resume push the heartbeat
//!   deadline to `now + heartbeatTimeoutMs`; duplicates and resets do not.
//! - **Pause and resume.** `PAUSE_VIDEO` only when auto-pause is on and the video was playing;
//!   `RESUME_VIDEO` only for a video the server paused: the server resumes only what it
//!   paused. A new utterance that cancels a pending resume takes it over, or a video paused for
//!   the first utterance would stay paused after the second. Closing sends no resume.
//! - **Merge.** A `SPEECH_START` within `mergeWithinMs` (client clock) of the `SPEECH_END`, in
//!   cooldown, continues the utterance: back to `recording`, counter `merged`, no
//!   `PAUSE_VIDEO`, the first start's media time kept, and a resume still owed only if the
//!   video has not resumed meanwhile. It may bring a new utterance id, which the next
//!   `SPEECH_END` must carry. `minSpeechMs` applies to the utterance's total. Max speech
//!   counts from the merge. An utterance the server ended cannot be merged into.
//! - **Cooldown.** A `SPEECH_START` in cooldown at least `cooldownMs` after the `SPEECH_END` on
//!   the client's clock ends the cooldown (its timer is merely late) and begins a new
//!   utterance; between the merge window and that, it is ignored (`ignoredCooldown`).
//! - **Max speech.** [`MAX_SPEECH_GRACE_MS`] after `maxSpeechMs`: `cooldown`, `STOP_UTTERANCE`,
//!   counter `forcedEnds`; a later `SPEECH_END` for it is ignored (`utterance_ended`).
//! - **Idle.** Idle stop is armed on entering `observing` and disarmed only by speech: an error
//!   or a disconnect in between does not restart the count. A start restarts it.
//!   `ERROR` in `idle` is taken like in any connected state.
//! - **Errors.** The (`maxRestarts` + 1)-th error within `restartWindowMs` opens the circuit:
//!   `error`, `STOP_CAPTURE` (`circuit_open`), and it stays open until `startVoiceSession`.
//!   Before that, each error commands `RESTART_CAPTURE` with backoff 500 ms × 2^(n-1), capped
//!   at 8 s, and the first heartbeat after the backoff returns to `observing`. A further
//!   error during a restart re-enters `error` (a logged transition). Capture dying
//!   mid-utterance ends it with `STOP_UTTERANCE`; the video resumes after the usual delay.
//!   Speech events in `error` are ignored (`capture_error`).
//! - **Disconnects.** Heartbeat timeout or socket closed: `disconnected`, remembering the
//!   state to return to, `recording` included. Timers other than the TTL freeze and resume on
//!   reconnect with the time they had left, so commands come due when a client can hear them
//!   and an utterance cut by the network still ends: by its replayed `SPEECH_END`, by max
//!   speech after the resume, or by the TTL closing the session (counted as a forced end).
//!   The TTL counts `sessionTtlMs` from the disconnect and closes silently.
//! - **Closing.** `Stop` closes from any state with `STOP_CAPTURE`, preceded by
//!   `STOP_UTTERANCE` when an utterance is recording.
//! - **Stopping after the utterance in flight** (PROTOCOL.md 7, a context switch). An utterance
//!   is in flight while it records (or did when the client disconnected), and once ended (by
//!   `SPEECH_END` long enough, max speech, or a capture error) until its transcript is
//!   recorded as a note, for at most [`TRANSCRIPT_GRACE_MS`]. `StopAfterUtterance` closes at
//!   once when nothing is in flight; otherwise the stop waits for the matching
//!   `NoteRecorded`, or the grace deadline (armed from the request, or from the end of the
//!   awaited utterance when sooner), whichever comes first. The grace runs in every live state,
//!   disconnected included: it bounds how long a session that lost its context lingers. While
//!   a stop waits, every `SPEECH_START` is ignored (`stopping`), merges included: the context
//!   has moved to another tab, whose own session takes new speech, so this one only finishes
//!   what it heard. A short `SPEECH_END` that drops the recording utterance leaves nothing in
//!   flight, and the stop happens in that step.
//! - **Notes.** `NoteRecorded` counts kept notes (`notesCreated`) and ends the wait for the
//!   awaited transcript when its utterance id matches; it is not the client speaking on the
//!   voice channel, so it does not count as liveness.

mod config;
mod input;
mod output;
mod state;
mod step;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use config::{
    ENDED_UTTERANCES_KEPT, MAX_CLOCK_AHEAD_MS, MAX_SPEECH_GRACE_MS, RESTART_BACKOFF_BASE_MS,
    RESTART_BACKOFF_MAX_MS, TRANSCRIPT_GRACE_MS, VoiceConfig, restart_backoff_ms,
};
pub use input::{EventKind, Input, SpeechEndReason, StopReason, VoiceEvent};
pub use output::{
    CaptureStopReason, Cause, Command, IgnoreReason, Outcome, ResetReason, Step, Transition,
};
pub use state::{AwaitedTranscript, Counters, Deadlines, Utterance, VoiceMachine, VoiceState};

/// Milliseconds on the caller's clock.
pub type Millis = i64;
