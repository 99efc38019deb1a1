//! The timers and thresholds one session runs with (PROTOCOL.md section 5.5), and the few
//! constants the protocol leaves to the server.

use serde::{Deserialize, Serialize};

use super::Millis;
use crate::settings::UserSettings;

/// How long after `maxSpeechMs` the server waits for a `SPEECH_END` before ending the utterance
/// itself. The client's VAD cuts speech at `maxSpeechMs` on its own (reason `MAX_DURATION`); the
/// grace leaves room for that `SPEECH_END` to cross the network, so the server only steps in
/// for a client that is stuck.
pub const MAX_SPEECH_GRACE_MS: Millis = 1000;

/// An event that claims to have happened further ahead of the server's clock than this is
/// ignored (`future_timestamp`): a clock that wrong would corrupt every interval measured on it.
pub const MAX_CLOCK_AHEAD_MS: Millis = 60_000;

/// How long a session asked to stop after its utterance in flight waits for that utterance's
/// transcript: the stop closes the session at the latest this long after it was asked for (or
/// after the awaited utterance ended, if that is sooner). An utterance that ended longer ago
/// than this no longer counts as in flight: the client found nothing to transcribe or lost it,
/// and a context switch should not wait for a transcript that is not coming. Ten seconds
/// covers on-device transcription of a maximum-length utterance with room to spare.
pub const TRANSCRIPT_GRACE_MS: Millis = 10_000;

/// How many ended utterance ids a session remembers to refuse their reuse.
pub const ENDED_UTTERANCES_KEPT: usize = 64;

/// Backoff before the first capture restart; each further error within the window doubles it.
pub const RESTART_BACKOFF_BASE_MS: Millis = 500;

/// Longest capture restart backoff.
pub const RESTART_BACKOFF_MAX_MS: Millis = 8000;

/// The 5.5 values the machine runs with, as plain numbers. The runtime passes the user's
/// current settings on every step, so a `settingsChanged` takes effect at the next input;
/// deadlines already armed keep their time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceConfig {
    /// Quiet time after an utterance before the next may start.
    pub cooldown_ms: Millis,
    /// A `SPEECH_START` this soon after the previous `SPEECH_END` continues that utterance.
    pub merge_within_ms: Millis,
    /// Speech shorter than this (by the client's `durationMs`) is dropped as noise.
    pub min_speech_ms: Millis,
    /// Speech with no `SPEECH_END` after this (plus [`MAX_SPEECH_GRACE_MS`]) is ended.
    pub max_speech_ms: Millis,
    /// Pause a playing video while the user speaks.
    pub auto_pause_video: bool,
    /// Delay after `SPEECH_END` before a video paused for the utterance resumes.
    pub auto_resume_delay_ms: Millis,
    /// Observing this long without speech stops capture (`idle`).
    pub idle_stop_ms: Millis,
    /// The client's heartbeat cadence. The machine does not use it (it only watches
    /// `heartbeat_timeout_ms`); it is here so the 5.5 set is complete in one value.
    pub heartbeat_interval_ms: Millis,
    /// No event at all for this long means the client is gone (`disconnected`).
    pub heartbeat_timeout_ms: Millis,
    /// Capture restarts allowed within `restart_window_ms`; one error more opens the circuit.
    pub max_restarts: u32,
    /// The window errors are counted over.
    pub restart_window_ms: Millis,
    /// How long a disconnected session waits for its client before closing.
    pub session_ttl_ms: Millis,
}

impl Default for VoiceConfig {
    /// The defaults of PROTOCOL.md section 5.5.
    fn default() -> Self {
        VoiceConfig {
            cooldown_ms: 500,
            merge_within_ms: 250,
            min_speech_ms: 200,
            max_speech_ms: 15_000,
            auto_pause_video: true,
            auto_resume_delay_ms: 500,
            idle_stop_ms: 180_000,
            heartbeat_interval_ms: 5000,
            heartbeat_timeout_ms: 15_000,
            max_restarts: 3,
            restart_window_ms: 60_000,
            session_ttl_ms: 600_000,
        }
    }
}

impl From<&UserSettings> for VoiceConfig {
    /// Settings are validated on write; a negative value that got through anyway counts as 0.
    fn from(settings: &UserSettings) -> Self {
        let ms = |value: i32| Millis::from(value.max(0));
        VoiceConfig {
            cooldown_ms: ms(settings.cooldown_ms),
            merge_within_ms: ms(settings.merge_within_ms),
            min_speech_ms: ms(settings.min_speech_ms),
            max_speech_ms: ms(settings.max_speech_ms),
            auto_pause_video: settings.auto_pause_video,
            auto_resume_delay_ms: ms(settings.auto_resume_delay_ms),
            idle_stop_ms: ms(settings.idle_stop_ms),
            heartbeat_interval_ms: ms(settings.heartbeat_interval_ms),
            heartbeat_timeout_ms: ms(settings.heartbeat_timeout_ms),
            max_restarts: u32::try_from(settings.max_restarts).unwrap_or(0),
            restart_window_ms: ms(settings.restart_window_ms),
            session_ttl_ms: ms(settings.session_ttl_ms),
        }
    }
}

/// The backoff of the capture restart commanded for the `errors`-th error within the window
/// (counting from 1): 500 ms, 1 s, 2 s, 4 s, then 8 s for every further one.
pub fn restart_backoff_ms(errors: u32) -> Millis {
    let doublings = errors.saturating_sub(1).min(4);
    (RESTART_BACKOFF_BASE_MS << doublings).min(RESTART_BACKOFF_MAX_MS)
}
