//! The notes scenario: each reviewer reviews one video of its own. Once the session has
//! applied an utterance's `SPEECH_END`, the utterance's transcript goes out with
//! `submitTranscript` on the extension socket, and a second socket of the same user (an open
//! view of the video) watches `noteEvents` for it.
//!
//! Measured: transcript sent → its `NoteCreated` on the second socket, and → the mutation's own
//! answer. Notes are matched to transcripts by `utteranceId`, known before sending: the server
//! publishes the note before it answers, so the event often arrives first, and the note id of
//! the answer would come too late to match it.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::outstanding::{Outstanding, earliest};
use crate::report::{Stats, record};
use crate::schedule::Planned;
use crate::socket::{self, Socket};

const DETECT_VIDEO: &str =
    "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id durationSeconds } }";
const SUBMIT_TRANSCRIPT: &str = "mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { id utteranceId status } }";
/// What a view of the video selects; only `NoteCreated` is measured.
const NOTE_EVENTS: &str = "subscription($videoId: ID) { noteEvents(videoId: $videoId) { __typename ... on NoteCreated { note { id utteranceId status } } } }";
/// Answered only once the subscription before it on the socket is registered.
const REGISTERED: &str = "query { __typename }";

/// Long enough that no utterance of a run (at most 600 s) falls past the end.
const VIDEO_SECONDS: f64 = 3600.0;

/// Operation ids of transcripts: this prefix and the utterance id.
const TRANSCRIPT_PREFIX: &str = "t-";
/// The operation id of the feed's subscription.
const FEED: &str = "notes";

/// What reviewers say about a cut, taken in turn: varied enough to reach several categories
/// of the structurer, with no filler and no cancel phrase, so every transcript makes a note.
const SENTENCES: &[&str] = &[
    "The cut to the interview comes a beat too early, hold the wide shot a little longer",
    "The music is too loud under the voiceover here, bring it down a few dB",
    "Skin tones look a bit green in this shot, warm up the grade",
    "This section drags, we could lose about ten seconds",
    "The lower third has a typo in the company name",
    "Reframe this so the speaker's head isn't cut off at the top of the frame",
    "Double check this figure, I think the revenue number is from last year",
    "The jump cut here doesn't work, put a cutaway over it",
    "The air conditioning hum is distracting in this take",
    "Add a caption with the product name when it first appears",
    "The window behind her is blown out, bring the highlights down",
    "Nice transition, keep this one",
];

/// The recognizer's confidence: around 0.9, well above the quality gate's base of 0.3.
const CONFIDENCE: [f64; 4] = [0.87, 0.9, 0.92, 0.94];

/// Detects the reviewer's video on the extension socket, as a tab reporting its page does;
/// answers its id. Every reviewer is its own user, so video `n` is one of its own.
pub async fn detect_video(socket: &mut Socket, n: usize, step: Duration) -> anyhow::Result<String> {
    let input = json!({
        "url": format!("https://vimeo.com/{}", 100_000_000 + n),
        "title": format!("Load review {n}"),
        "durationSeconds": VIDEO_SECONDS,
    });
    socket::subscribe(socket, "video", DETECT_VIDEO, json!({ "input": input })).await?;
    let answer = socket::answer_of(socket, "video", Instant::now() + step).await?;
    let video = &answer["payload"]["data"]["detectVideo"];
    match video["id"].as_str() {
        Some(id) => Ok(id.to_owned()),
        None => bail!("detectVideo answered {answer}"),
    }
}

/// Opens the reviewer's second socket with `noteEvents` of its video, and returns once the
/// subscription is registered: a query sent after a subscription on one socket runs only
/// then (PROTOCOL.md 8.5), so its answer means no note of the run can be missed.
pub async fn open_feed(
    url: &str,
    token: &str,
    video_id: &str,
    step: Duration,
) -> anyhow::Result<Socket> {
    let mut feed = socket::open_graphql(url, token, step)
        .await
        .context("the note feed's socket")?;
    socket::subscribe(&mut feed, FEED, NOTE_EVENTS, json!({ "videoId": video_id })).await?;
    socket::subscribe(&mut feed, "registered", REGISTERED, Value::Null).await?;
    socket::answer_of(&mut feed, "registered", Instant::now() + step)
        .await
        .context("noteEvents was not registered")?;
    Ok(feed)
}

/// Whether operation `id` on the extension socket is a transcript.
pub fn is_transcript(id: &str) -> bool {
    id.starts_with(TRANSCRIPT_PREFIX)
}

/// One reviewer's transcripts: those to send once their utterance is heard, and those waiting
/// for their note and their answer.
pub struct Transcripts {
    video_id: String,
    /// `SPEECH_END`s sent and not yet acknowledged, by `seq`.
    ending: HashMap<i64, Planned>,
    /// Transcripts waiting for their `NoteCreated`, by utterance id.
    created: Outstanding<String>,
    /// Transcripts waiting for the mutation's answer, by utterance id.
    answered: Outstanding<String>,
    /// Where this reviewer starts in [`SENTENCES`], so reviewers do not all say the same.
    first_sentence: usize,
    /// `latency`: transcript → `NoteCreated`; `ack`: transcript → `submitTranscript`'s answer;
    /// `sent`: transcripts sent.
    pub stats: Stats,
}

impl Transcripts {
    pub fn new(video_id: String, first_sentence: usize) -> Self {
        Transcripts {
            video_id,
            ending: HashMap::new(),
            created: Outstanding::new("note_timeout", "note_lost"),
            answered: Outstanding::new("answer_timeout", "answer_lost"),
            first_sentence,
            stats: Stats::new(),
        }
    }

    /// A `SPEECH_END` went out as event `seq`.
    pub fn speech_ended(&mut self, seq: i64, planned: Planned) {
        self.ending.insert(seq, planned);
    }

    /// Event `seq` was answered (`applied`: with `APPLIED`); answers the utterance to
    /// transcribe when it was a `SPEECH_END` the session applied, which makes the utterance
    /// one the session heard, as a v2 transcript requires.
    pub fn event_answered(&mut self, seq: i64, applied: bool) -> Option<Planned> {
        self.ending.remove(&seq).filter(|_| applied)
    }

    /// Sends the transcript of `utterance` on the extension socket; `Err` when the socket
    /// failed.
    pub async fn submit(
        &mut self,
        socket: &mut Socket,
        session_id: &str,
        utterance: &Planned,
    ) -> anyhow::Result<()> {
        let utterance_id = utterance.utterance_id();
        let turn = usize::try_from(utterance.utterance).unwrap_or_default() + self.first_sentence;
        let input = json!({
            "utteranceId": utterance_id,
            "sessionId": session_id,
            "videoId": self.video_id,
            "mediaTime": utterance.media_time,
            "durationMs": utterance.duration_ms(),
            "text": SENTENCES[turn % SENTENCES.len()],
            "confidence": CONFIDENCE[turn % CONFIDENCE.len()],
            "source": "lossy-load",
        });
        let id = format!("{TRANSCRIPT_PREFIX}{utterance_id}");
        let text = socket::operation(&id, SUBMIT_TRANSCRIPT, json!({ "input": input }));
        let sent = Instant::now();
        socket
            .send(text.into())
            .await
            .context("send a transcript")?;
        self.stats.sent += 1;
        self.created.push(utterance_id.clone(), sent);
        self.answered.push(utterance_id, sent);
        Ok(())
    }

    /// A `next` or `error` of transcript operation `id`; `Err` names an error to count.
    pub fn on_answer(&mut self, id: &str, message: &Value) -> Result<(), String> {
        let utterance_id = id.strip_prefix(TRANSCRIPT_PREFIX).unwrap_or(id).to_owned();
        if let Some(sent) = self.answered.take(&utterance_id) {
            record(&mut self.stats.ack, sent.elapsed());
        }
        if message["payload"]["data"]["submitTranscript"]["id"].is_string() {
            return Ok(());
        }
        // Refused: no note will come for it.
        self.created.take(&utterance_id);
        // A `next` carries its errors beside `data`; an `error` message is the list itself.
        let errors = match message["type"].as_str() {
            Some("next") => &message["payload"]["errors"],
            _ => &message["payload"],
        };
        let code = errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or("no_code");
        Err(format!("transcript_refused_{code}"))
    }

    /// A message on the note feed; `Err` names an error to count.
    pub fn on_feed(&mut self, message: &Value) -> Result<(), String> {
        match (message["type"].as_str(), message["id"] == FEED) {
            (Some("next"), true) => {
                let event = &message["payload"]["data"]["noteEvents"];
                if event["__typename"] != "NoteCreated" {
                    return Ok(()); // The video's new summary, which follows every note.
                }
                let utterance_id = event["note"]["utteranceId"].as_str().unwrap_or_default();
                match self.created.take(&utterance_id.to_owned()) {
                    Some(sent) => {
                        record(&mut self.stats.latency, sent.elapsed());
                        Ok(())
                    }
                    None => Err("note_unexpected".to_owned()),
                }
            }
            (Some("error" | "complete"), true) => Err("feed_ended".to_owned()),
            (Some("pong" | "complete" | "next"), false) => Ok(()),
            (Some(other), _) => Err(format!("feed_unexpected_{other}")),
            (None, _) => Err("feed_unexpected".to_owned()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.answered.is_empty()
    }

    pub fn next_expiry(&self) -> Option<Instant> {
        earliest([self.created.next_expiry(), self.answered.next_expiry()])
    }

    pub fn expire(&mut self, now: Instant) {
        self.created.expire(now, &mut self.stats);
        self.answered.expire(now, &mut self.stats);
    }

    /// Gives up on every answer and note still awaited.
    pub fn abandon(&mut self) {
        self.created.abandon(&mut self.stats);
        self.answered.abandon(&mut self.stats);
    }
}
