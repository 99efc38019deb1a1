//! When a simulated reviewer speaks: utterances of 1 to 2 s separated by silences, and a
//! heartbeat every 5 s. The echo reference follows the same plan, so both send at one rate.

use std::time::Duration;

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use tokio::time::Instant;

/// The client's heartbeat cadence (PROTOCOL.md 5.5 `heartbeatIntervalMs`).
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);

/// Shortest silence between two utterances: well past `cooldownMs` (500) and `mergeWithinMs`
/// (250), so every `SPEECH_START` lands in `observing` and is `APPLIED`.
const MIN_SILENCE: Duration = Duration::from_millis(800);

/// One sequenced event the plan calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SpeechStart,
    SpeechEnd,
    Heartbeat,
}

/// A reviewer's timeline.
pub struct Schedule {
    rng: StdRng,
    utterance_every: Duration,
    /// The next utterance boundary: its start, or its end while speaking.
    next_speech: Instant,
    /// While speaking: the utterance's number and length.
    speaking: Option<(u64, Duration)>,
    next_heartbeat: Instant,
    utterances: u64,
    started: Instant,
}

impl Schedule {
    /// Starts at `begin`, with the first utterance at a random point of the first period so
    /// that reviewers do not speak in lockstep.
    pub fn new(mut rng: StdRng, begin: Instant, utterance_every: Duration) -> Self {
        let first = jitter(&mut rng, utterance_every, 0.0, 1.0);
        let heartbeat = jitter(&mut rng, HEARTBEAT_EVERY, 0.0, 1.0);
        Schedule {
            rng,
            utterance_every,
            next_speech: begin + first,
            speaking: None,
            next_heartbeat: begin + heartbeat,
            utterances: 0,
            started: begin,
        }
    }

    /// When the next event is due.
    pub fn due(&self) -> Instant {
        self.next_speech.min(self.next_heartbeat)
    }

    /// The event due now, its utterance number and speech length, and the plan moved on.
    pub fn take(&mut self) -> Planned {
        if self.next_heartbeat <= self.next_speech {
            self.next_heartbeat += HEARTBEAT_EVERY;
            return Planned {
                kind: Kind::Heartbeat,
                utterance: 0,
                duration: Duration::ZERO,
                media_time: 0.0,
            };
        }
        let media_time = 10.0 + (self.next_speech - self.started).as_secs_f64();
        match self.speaking.take() {
            None => {
                self.utterances += 1;
                let length = Duration::from_millis(self.rng.random_range(1000..=2000));
                self.speaking = Some((self.utterances, length));
                self.next_speech += length;
                Planned {
                    kind: Kind::SpeechStart,
                    utterance: self.utterances,
                    duration: length,
                    media_time,
                }
            }
            Some((utterance, length)) => {
                // The rest of the period is silence, with ±50 % jitter, never below the floor.
                let rest = self
                    .utterance_every
                    .saturating_sub(Duration::from_millis(1500));
                let silence = jitter(&mut self.rng, rest, 0.5, 1.5).max(MIN_SILENCE);
                self.next_speech += silence;
                Planned {
                    kind: Kind::SpeechEnd,
                    utterance,
                    duration: length,
                    media_time,
                }
            }
        }
    }
}

/// One event as planned.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub kind: Kind,
    pub utterance: u64,
    pub duration: Duration,
    pub media_time: f64,
}

impl Planned {
    /// The `VoiceEventInput` for this event.
    pub fn input(&self, session_id: &str, seq: i64) -> Value {
        let now = chrono::Utc::now();
        let utterance = format!("u{}", self.utterance);
        match self.kind {
            Kind::SpeechStart => json!({
                "sessionId": session_id, "seq": seq, "kind": "SPEECH_START", "occurredAt": now,
                "utteranceId": utterance, "mediaTime": self.media_time, "videoPlaying": true,
            }),
            Kind::SpeechEnd => json!({
                "sessionId": session_id, "seq": seq, "kind": "SPEECH_END", "occurredAt": now,
                "utteranceId": utterance,
                "durationMs": u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX),
                "reason": "NATURAL_END",
            }),
            Kind::Heartbeat => json!({
                "sessionId": session_id, "seq": seq, "kind": "HEARTBEAT", "occurredAt": now,
            }),
        }
    }
}

/// `base` scaled by a uniform factor in `low..high`.
fn jitter(rng: &mut StdRng, base: Duration, low: f64, high: f64) -> Duration {
    base.mul_f64(rng.random_range(low..high))
}
