//! One simulated reviewer: an extension socket that subscribes to `voiceStatus`, starts a voice
//! session and drives it through utterances and heartbeats, timing each event from its send to
//! the first `voiceStatus` that carries its `seq`. In the notes scenario it also submits each
//! heard utterance's transcript and watches its notes arrive on a second socket (`notes.rs`).
//!
//! The server publishes at least one status for every applied (or ignored) event, with `seq` =
//! the session's `appliedSeq` after it; timer statuses (cooldown over, video resumed) repeat the
//! last seq, so the first status carrying a new seq is the event's own.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::future::OptionFuture;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::{Instant, sleep_until};
use uuid::Uuid;

use crate::Scenario;
use crate::notes::{self, Transcripts};
use crate::outstanding::{Outstanding, earliest};
use crate::report::{Stats, record};
use crate::schedule::{Kind, Planned, Schedule};
use crate::socket::{self, Incoming, Socket};

/// Each step of connecting (open, ack, subscription, session start) must finish within this.
const CONNECT_STEP: Duration = Duration::from_secs(15);

/// What the extension's side panel selects.
const STATUS: &str = "subscription { voiceStatus { sessionId state previousState cause seq command commandReason restartBackoffMs counters { speechDetections speechEnds heartbeats } at } }";
const START: &str = "mutation($input: StartVoiceSessionInput!) { startVoiceSession(input: $input) { id state lastAppliedSeq } }";
pub const EVENT: &str = "mutation($input: VoiceEventInput!) { voiceEvent(input: $input) { sessionId appliedSeq state outcome reason } }";

/// A reviewer with its socket open, `voiceStatus` subscribed and a session started; in the
/// notes scenario also its video and the second socket watching that video's notes.
pub struct Connected {
    socket: Socket,
    session: String,
    notes: Option<Reviewing>,
}

/// The notes scenario's part of a reviewer.
struct Reviewing {
    video_id: String,
    feed: Socket,
}

/// Opens the socket with `token`, subscribes to `voiceStatus` and starts a session; in the
/// notes scenario first detects video `n` (the session is then about it) and opens the feed.
pub async fn connect(
    url: &str,
    token: &str,
    scenario: Scenario,
    n: usize,
) -> anyhow::Result<Connected> {
    let mut socket = socket::open_graphql(url, token, CONNECT_STEP).await?;
    socket::subscribe(&mut socket, "status", STATUS, Value::Null).await?;
    let video_id = match scenario {
        Scenario::Voice | Scenario::Idle => None,
        Scenario::Notes => Some(notes::detect_video(&mut socket, n, CONNECT_STEP).await?),
    };
    let input = json!({
        "tabId": rand::random_range(1..10_000),
        "pageInstanceId": format!("load-{}", Uuid::new_v4().simple()),
        "videoId": video_id,
    });
    socket::subscribe(&mut socket, "start", START, json!({ "input": input })).await?;
    // The subscription is in place before `start` runs (PROTOCOL.md 8.5); statuses of the new
    // session may arrive before its answer and are skipped.
    let answer = socket::answer_of(&mut socket, "start", Instant::now() + CONNECT_STEP).await?;
    let Some(session) = answer["payload"]["data"]["startVoiceSession"]["id"].as_str() else {
        bail!("startVoiceSession answered {answer}");
    };
    let notes = match video_id {
        Some(video_id) => {
            let feed = notes::open_feed(url, token, &video_id, CONNECT_STEP).await?;
            Some(Reviewing { video_id, feed })
        }
        None => None,
    };
    Ok(Connected {
        socket,
        session: session.to_owned(),
        notes,
    })
}

/// How long the end of a run keeps listening for answers that are late (already counted as
/// errors) so that their real latency is still recorded.
const DRAIN: Duration = Duration::from_secs(10);

/// What one reviewer measured.
pub struct Measured {
    /// Voice events: send → their `voiceStatus`, and → the `voiceEvent` answer.
    pub voice: Stats,
    /// Transcripts (notes scenario; empty otherwise): send → `NoteCreated`, and → the
    /// `submitTranscript` answer.
    pub notes: Stats,
}

/// One session being driven: the events sent and what they wait for.
struct Driving {
    session: String,
    seq: i64,
    /// Events waiting for their `voiceStatus`, by seq.
    status: Outstanding<i64>,
    /// Events waiting for their `voiceEvent` answer, by seq.
    ack: Outstanding<i64>,
    stats: Stats,
    transcripts: Option<Transcripts>,
}

/// Drives the session until `end`, waits up to [`DRAIN`] for the last answers, then closes
/// the sockets. `first_sentence` varies what the reviewer says in the notes scenario.
pub async fn drive(
    connected: Connected,
    mut schedule: Schedule,
    end: Instant,
    first_sentence: usize,
) -> Measured {
    let Connected {
        mut socket,
        session,
        notes,
    } = connected;
    let (mut feed, transcripts) = match notes {
        Some(Reviewing { video_id, feed }) => {
            (Some(feed), Some(Transcripts::new(video_id, first_sentence)))
        }
        None => (None, None),
    };
    let mut driving = Driving {
        session,
        seq: 0,
        status: Outstanding::new("status_timeout", "status_lost"),
        ack: Outstanding::new("ack_timeout", "ack_lost"),
        stats: Stats::new(),
        transcripts,
    };
    let give_up = end + DRAIN;
    loop {
        let due = schedule.due();
        let sending = due < end;
        if !sending && driving.is_idle() {
            break;
        }
        if Instant::now() >= give_up {
            driving.expire(Instant::now());
            driving.abandon();
            break;
        }
        let expiry = driving.next_expiry();
        let feed_open = feed.is_some();
        tokio::select! {
            frame = socket.next() => {
                match socket::classify(frame) {
                    Incoming::Json(message) => {
                        if let Err(kind) = driving.on_message(&mut socket, &message).await {
                            driving.stats.error(kind);
                        }
                    }
                    Incoming::Garbage => driving.stats.error("not_json"),
                    Incoming::Other => {}
                    Incoming::Closed(how) => {
                        driving.stats.error(format!("socket_closed_{how}"));
                        driving.abandon();
                        break;
                    }
                }
            }
            Some(frame) = OptionFuture::from(feed.as_mut().map(StreamExt::next)), if feed_open => {
                if let Some(transcripts) = driving.transcripts.as_mut()
                    && let Err(kind) = on_feed(&mut feed, transcripts, frame).await
                {
                    transcripts.stats.error(kind);
                }
            }
            () = sleep_until(due), if sending => {
                if driving.send_event(&mut socket, schedule.take()).await.is_err() {
                    driving.stats.error("send_failed");
                    driving.abandon();
                    break;
                }
            }
            () = sleep_until(expiry.unwrap_or(give_up).min(give_up)) => {
                driving.expire(Instant::now());
            }
        }
    }
    socket::close(socket).await;
    if let Some(feed) = feed {
        socket::close(feed).await;
    }
    Measured {
        voice: driving.stats,
        notes: driving
            .transcripts
            .map(|t| t.stats)
            .unwrap_or_else(Stats::new),
    }
}

/// One frame of the note feed; a feed that closed is dropped (the notes it still owed are
/// then counted as timed out and lost).
async fn on_feed(
    feed: &mut Option<Socket>,
    transcripts: &mut Transcripts,
    frame: socket::Frame,
) -> Result<(), String> {
    match socket::classify(frame) {
        Incoming::Json(message) if message["type"] == "ping" => match feed.as_mut() {
            Some(socket) => socket::pong(socket)
                .await
                .map_err(|_| "feed_send_failed".to_owned()),
            None => Ok(()),
        },
        Incoming::Json(message) => transcripts.on_feed(&message),
        Incoming::Garbage => Err("feed_not_json".to_owned()),
        Incoming::Other => Ok(()),
        Incoming::Closed(how) => {
            *feed = None;
            Err(format!("feed_closed_{how}"))
        }
    }
}

impl Driving {
    /// Nothing left to wait for.
    fn is_idle(&self) -> bool {
        self.status.is_empty()
            && self.ack.is_empty()
            && self.transcripts.as_ref().is_none_or(Transcripts::is_empty)
    }

    fn next_expiry(&self) -> Option<Instant> {
        earliest([
            self.status.next_expiry(),
            self.ack.next_expiry(),
            self.transcripts.as_ref().and_then(Transcripts::next_expiry),
        ])
    }

    fn expire(&mut self, now: Instant) {
        self.status.expire(now, &mut self.stats);
        self.ack.expire(now, &mut self.stats);
        if let Some(transcripts) = self.transcripts.as_mut() {
            transcripts.expire(now);
        }
    }

    /// Gives up on everything still awaited: what was not yet late counts as lost.
    fn abandon(&mut self) {
        self.status.abandon(&mut self.stats);
        self.ack.abandon(&mut self.stats);
        if let Some(transcripts) = self.transcripts.as_mut() {
            transcripts.abandon();
        }
    }

    /// Sends the next event of the plan; `Err` when the socket failed.
    async fn send_event(&mut self, socket: &mut Socket, planned: Planned) -> anyhow::Result<()> {
        self.seq += 1;
        let seq = self.seq;
        let variables = json!({ "input": planned.input(&self.session, seq) });
        let text = socket::operation(&format!("e{seq}"), EVENT, variables);
        let sent = Instant::now();
        socket.send(text.into()).await.context("send an event")?;
        self.stats.sent += 1;
        self.status.push(seq, sent);
        self.ack.push(seq, sent);
        if planned.kind == Kind::SpeechEnd
            && let Some(transcripts) = self.transcripts.as_mut()
        {
            transcripts.speech_ended(seq, planned);
        }
        Ok(())
    }

    /// Matches one message of the extension socket against what is awaited; `Err` names an
    /// error to count.
    async fn on_message(&mut self, socket: &mut Socket, message: &Value) -> Result<(), String> {
        let id = message["id"].as_str().unwrap_or_default();
        let kind = message["type"].as_str().unwrap_or_default();
        if matches!(kind, "next" | "error") && notes::is_transcript(id) {
            return match self.transcripts.as_mut() {
                Some(transcripts) => {
                    if let Err(kind) = transcripts.on_answer(id, message) {
                        transcripts.stats.error(kind);
                    }
                    Ok(())
                }
                None => Err(format!("unexpected_{kind}_{id}")),
            };
        }
        match kind {
            "next" if id == "status" => {
                let status = &message["payload"]["data"]["voiceStatus"];
                let Some(seq) = status["seq"].as_i64() else {
                    return Err("status_without_seq".to_owned());
                };
                if let Some(sent) = self.status.take(&seq) {
                    record(&mut self.stats.latency, sent.elapsed());
                }
                Ok(())
            }
            "next" => {
                let seq = event_seq(id).ok_or_else(|| format!("unexpected_next_{id}"))?;
                self.on_event_answer(socket, seq, message).await
            }
            "complete" => Ok(()),
            "error" => {
                let operation = match event_seq(id) {
                    Some(seq) => {
                        self.ack.take(&seq);
                        self.status.take(&seq);
                        self.event_refused(seq);
                        "voiceEvent"
                    }
                    None => id,
                };
                let code = message["payload"][0]["extensions"]["code"]
                    .as_str()
                    .unwrap_or("no_code");
                Err(format!("error_message_{operation}_{code}"))
            }
            "ping" => socket::pong(socket)
                .await
                .map_err(|_| "send_failed".to_owned()),
            "pong" => Ok(()),
            other => Err(format!("unexpected_{other}")),
        }
    }

    /// The `voiceEvent` answer of event `seq`: timed, checked, and in the notes scenario the
    /// utterance's transcript sent when the event was an applied `SPEECH_END`.
    async fn on_event_answer(
        &mut self,
        socket: &mut Socket,
        seq: i64,
        message: &Value,
    ) -> Result<(), String> {
        let Some(sent) = self.ack.take(&seq) else {
            return Ok(()); // Given up on already.
        };
        record(&mut self.stats.ack, sent.elapsed());
        let ack = &message["payload"]["data"]["voiceEvent"];
        match ack["outcome"].as_str() {
            Some("APPLIED") => {
                let Some(transcripts) = self.transcripts.as_mut() else {
                    return Ok(());
                };
                match transcripts.event_answered(seq, true) {
                    Some(utterance) => transcripts
                        .submit(socket, &self.session, &utterance)
                        .await
                        .map_err(|_| "send_failed".to_owned()),
                    None => Ok(()),
                }
            }
            Some(outcome) => {
                if outcome != "IGNORED" {
                    // RESET and DUPLICATE publish no status with this seq.
                    self.status.take(&seq);
                }
                self.event_refused(seq);
                Err(format!(
                    "ack_{outcome}_{}",
                    ack["reason"].as_str().unwrap_or("")
                ))
            }
            None => {
                self.status.take(&seq);
                self.event_refused(seq);
                let code = message["payload"]["errors"][0]["extensions"]["code"]
                    .as_str()
                    .unwrap_or("no_code");
                Err(format!("ack_error_{code}"))
            }
        }
    }

    /// Event `seq` was not applied: an utterance it ended was not heard, so no transcript.
    fn event_refused(&mut self, seq: i64) {
        if let Some(transcripts) = self.transcripts.as_mut() {
            transcripts.event_answered(seq, false);
        }
    }
}

fn event_seq(id: &str) -> Option<i64> {
    id.strip_prefix('e')?.parse().ok()
}
