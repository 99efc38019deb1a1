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
    /// The utterance being spoken, until its end is taken.
    speaking: Option<Utterance>,
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
        match self.speaking.take() {
            None => {
                self.utterances += 1;
                let utterance = Utterance {
                    number: self.utterances,
                    length: Duration::from_millis(self.rng.random_range(1000..=2000)),
                    media_time: 10.0 + (self.next_speech - self.started).as_secs_f64(),
                };
                self.speaking = Some(utterance);
                self.next_speech += utterance.length;
                utterance.planned(Kind::SpeechStart)
            }
            Some(utterance) => {
                // The rest of the period is silence, with ±50 % jitter, never below the floor.
                let rest = self
                    .utterance_every
                    .saturating_sub(Duration::from_millis(1500));
                let silence = jitter(&mut self.rng, rest, 0.5, 1.5).max(MIN_SILENCE);
                self.next_speech += silence;
                utterance.planned(Kind::SpeechEnd)
            }
        }
    }
}

/// One utterance: both of its events carry what the transcript of it needs.
#[derive(Debug, Clone, Copy)]
struct Utterance {
    number: u64,
    length: Duration,
    /// The playhead when it began.
    media_time: f64,
}

impl Utterance {
    fn planned(self, kind: Kind) -> Planned {
        Planned {
            kind,
            utterance: self.number,
            duration: self.length,
            media_time: self.media_time,
        }
    }
}

/// One event as planned.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub kind: Kind,
    /// The utterance's number in this schedule (0 for heartbeats).
    pub utterance: u64,
    /// How long the utterance lasts.
    pub duration: Duration,
    /// The playhead when the utterance began, on its start and its end alike (a transcript
    /// is pinned to where the reviewer started speaking).
    pub media_time: f64,
}

impl Planned {
    /// The client's id of the utterance, unique within the session (and so within the user,
    /// who has one session per run).
    pub fn utterance_id(&self) -> String {
        format!("u{}", self.utterance)
    }

    /// The utterance's length as the client's VAD measured it.
    pub fn duration_ms(&self) -> u64 {
        u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX)
    }

    /// The `VoiceEventInput` for this event.
    pub fn input(&self, session_id: &str, seq: i64) -> Value {
        let now = chrono::Utc::now();
        let utterance = self.utterance_id();
        match self.kind {
            Kind::SpeechStart => json!({
                "sessionId": session_id, "seq": seq, "kind": "SPEECH_START", "occurredAt": now,
                "utteranceId": utterance, "mediaTime": self.media_time, "videoPlaying": true,
            }),
            Kind::SpeechEnd => json!({
                "sessionId": session_id, "seq": seq, "kind": "SPEECH_END", "occurredAt": now,
                "utteranceId": utterance,
                "durationMs": self.duration_ms(),
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
