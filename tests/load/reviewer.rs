//! One simulated reviewer: an extension socket that subscribes to `voiceStatus`, starts a voice
//! session and drives it through utterances and heartbeats, timing each event from its send to
//! the first `voiceStatus` that carries its `seq`.
//!
//! The server publishes at least one status for every applied (or ignored) event, with `seq` =
//! the session's `appliedSeq` after it; timer statuses (cooldown over, video resumed) repeat the
//! last seq, so the first status carrying a new seq is the event's own.

use std::collections::VecDeque;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::time::{Instant, sleep_until};
use uuid::Uuid;

use crate::report::{Stats, record};
use crate::schedule::Schedule;
use crate::socket::{self, Incoming, Socket};

/// An event whose status has not arrived by then counts as an error.
pub const STATUS_WAIT: Duration = Duration::from_secs(2);

/// Each step of connecting (open, ack, subscription, session start) must finish within this.
const CONNECT_STEP: Duration = Duration::from_secs(15);

/// What the extension's side panel selects.
const STATUS: &str = "subscription { voiceStatus { sessionId state previousState cause seq command commandReason restartBackoffMs counters { speechDetections speechEnds heartbeats } at } }";
const START: &str = "mutation($input: StartVoiceSessionInput!) { startVoiceSession(input: $input) { id state lastAppliedSeq } }";
const EVENT: &str = "mutation($input: VoiceEventInput!) { voiceEvent(input: $input) { sessionId appliedSeq state outcome reason } }";

/// A reviewer with its socket open, `voiceStatus` subscribed and a session started.
pub struct Connected {
    socket: Socket,
    session: String,
}

/// Opens the socket with `token`, subscribes to `voiceStatus` and starts a session.
pub async fn connect(url: &str, token: &str) -> anyhow::Result<Connected> {
    let deadline = || Instant::now() + CONNECT_STEP;
    let mut socket = tokio::time::timeout(
        CONNECT_STEP,
        socket::connect(url, Some("graphql-transport-ws")),
    )
    .await
    .context("socket did not open in time")??;
    socket::send_json(
        &mut socket,
        &json!({ "type": "connection_init", "payload": { "token": token, "requestedVersion": 2 } }),
    )
    .await?;
    let ack = socket::next_json(&mut socket, deadline()).await?;
    if ack["type"] != "connection_ack" {
        bail!("expected connection_ack, got {ack}");
    }
    subscribe(&mut socket, "status", STATUS, Value::Null).await?;
    let input = json!({
        "tabId": rand::random_range(1..10_000),
        "pageInstanceId": format!("load-{}", Uuid::new_v4().simple()),
    });
    subscribe(&mut socket, "start", START, json!({ "input": input })).await?;
    // The subscription is in place before `start` runs (PROTOCOL.md 8.5); statuses of the new
    // session may arrive before its answer and are skipped.
    let deadline = deadline();
    loop {
        let message = socket::next_json(&mut socket, deadline).await?;
        if message["id"] != "start" {
            if message["type"] == "error" {
                bail!("subscription refused: {message}");
            }
            continue;
        }
        let session = &message["payload"]["data"]["startVoiceSession"];
        match (message["type"].as_str(), session["id"].as_str()) {
            (Some("next"), Some(id)) => {
                let id = id.to_owned();
                return Ok(Connected {
                    socket,
                    session: id,
                });
            }
            _ => bail!("startVoiceSession answered {message}"),
        }
    }
}

async fn subscribe(
    socket: &mut Socket,
    id: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<()> {
    socket::send_json(
        socket,
        &json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } }),
    )
    .await
}

/// How long the end of a run keeps listening for answers that are late (already counted as
/// errors) so that their real latency is still recorded.
const DRAIN: Duration = Duration::from_secs(10);

/// One event waiting for an answer; `late` once it has been counted as an error.
struct Waiting {
    seq: i64,
    sent: Instant,
    late: bool,
}

/// Events sent and not yet answered, oldest first. An answer later than [`STATUS_WAIT`]
/// counts as an error, but its latency is still recorded when it comes, so the percentiles
/// are not cut off at the limit.
#[derive(Default)]
struct Pending {
    status: VecDeque<Waiting>,
    ack: VecDeque<Waiting>,
}

impl Pending {
    fn push(&mut self, seq: i64, sent: Instant) {
        self.status.push_back(Waiting {
            seq,
            sent,
            late: false,
        });
        self.ack.push_back(Waiting {
            seq,
            sent,
            late: false,
        });
    }

    fn is_empty(&self) -> bool {
        self.status.is_empty() && self.ack.is_empty()
    }

    /// When the oldest answer not yet counted late becomes late.
    fn next_expiry(&self) -> Option<Instant> {
        self.status
            .iter()
            .chain(self.ack.iter())
            .filter(|w| !w.late)
            .map(|w| w.sent + STATUS_WAIT)
            .min()
    }

    /// Counts what waited longer than [`STATUS_WAIT`].
    fn expire(&mut self, now: Instant, stats: &mut Stats) {
        for (queue, kind) in [
            (&mut self.status, "status_timeout"),
            (&mut self.ack, "ack_timeout"),
        ] {
            for waiting in queue.iter_mut() {
                if !waiting.late && waiting.sent + STATUS_WAIT <= now {
                    waiting.late = true;
                    stats.error(kind);
                }
            }
        }
    }

    /// Gives up on everything: what was not yet late counts as lost.
    fn abandon(&mut self, stats: &mut Stats) {
        for (queue, kind) in [
            (&mut self.status, "status_lost"),
            (&mut self.ack, "ack_lost"),
        ] {
            for waiting in queue.drain(..) {
                if !waiting.late {
                    stats.error(kind);
                }
            }
        }
    }

    fn take(queue: &mut VecDeque<Waiting>, seq: i64) -> Option<Instant> {
        let at = queue.iter().position(|w| w.seq == seq)?;
        queue.remove(at).map(|w| w.sent)
    }
}

/// Drives the session until `end`, waits up to [`DRAIN`] for the last answers, then closes
/// the socket.
pub async fn drive(connected: Connected, mut schedule: Schedule, end: Instant) -> Stats {
    let Connected {
        mut socket,
        session,
    } = connected;
    let mut stats = Stats::new();
    let mut pending = Pending::default();
    let mut seq: i64 = 0;
    let give_up = end + DRAIN;
    loop {
        let due = schedule.due();
        let sending = due < end;
        if !sending && pending.is_empty() {
            break;
        }
        if Instant::now() >= give_up {
            pending.expire(Instant::now(), &mut stats);
            pending.abandon(&mut stats);
            break;
        }
        let expiry = pending.next_expiry();
        tokio::select! {
            frame = futures_util::StreamExt::next(&mut socket) => {
                match socket::classify(frame) {
                    Incoming::Json(message) => {
                        if let Err(kind) = on_message(&mut socket, &message, &mut pending, &mut stats).await {
                            stats.error(kind);
                        }
                    }
                    Incoming::Garbage => stats.error("not_json"),
                    Incoming::Other => {}
                    Incoming::Closed(how) => {
                        stats.error(format!("socket_closed_{how}"));
                        pending.abandon(&mut stats);
                        return stats;
                    }
                }
            }
            () = sleep_until(due), if sending => {
                let planned = schedule.take();
                seq += 1;
                let message = json!({
                    "type": "subscribe",
                    "id": format!("e{seq}"),
                    "payload": { "query": EVENT, "variables": { "input": planned.input(&session, seq) } },
                });
                let text = message.to_string();
                let sent = Instant::now();
                if futures_util::SinkExt::send(&mut socket, text.into()).await.is_err() {
                    stats.error("send_failed");
                    pending.abandon(&mut stats);
                    return stats;
                }
                stats.sent += 1;
                pending.push(seq, sent);
            }
            () = sleep_until(expiry.unwrap_or(give_up).min(give_up)) => {
                pending.expire(Instant::now(), &mut stats);
            }
        }
    }
    socket::close(socket).await;
    stats
}

/// Matches one message against what is pending; `Err` names an error to count.
async fn on_message(
    socket: &mut Socket,
    message: &Value,
    pending: &mut Pending,
    stats: &mut Stats,
) -> Result<(), String> {
    let id = message["id"].as_str().unwrap_or_default();
    match message["type"].as_str().unwrap_or_default() {
        "next" if id == "status" => {
            let status = &message["payload"]["data"]["voiceStatus"];
            let Some(seq) = status["seq"].as_i64() else {
                return Err("status_without_seq".to_owned());
            };
            if let Some(sent) = Pending::take(&mut pending.status, seq) {
                record(&mut stats.latency, sent.elapsed());
            }
            Ok(())
        }
        "next" => {
            let seq = event_seq(id).ok_or_else(|| format!("unexpected_next_{id}"))?;
            let Some(sent) = Pending::take(&mut pending.ack, seq) else {
                return Ok(()); // Already counted as late.
            };
            record(&mut stats.ack, sent.elapsed());
            let ack = &message["payload"]["data"]["voiceEvent"];
            match ack["outcome"].as_str() {
                Some("APPLIED") => Ok(()),
                Some(outcome) => {
                    if outcome != "IGNORED" {
                        // RESET and DUPLICATE publish no status with this seq.
                        Pending::take(&mut pending.status, seq);
                    }
                    Err(format!(
                        "ack_{outcome}_{}",
                        ack["reason"].as_str().unwrap_or("")
                    ))
                }
                None => {
                    Pending::take(&mut pending.status, seq);
                    let code = message["payload"]["errors"][0]["extensions"]["code"]
                        .as_str()
                        .unwrap_or("no_code");
                    Err(format!("ack_error_{code}"))
                }
            }
        }
        "complete" => Ok(()),
        "error" => {
            let operation = match event_seq(id) {
                Some(seq) => {
                    Pending::take(&mut pending.ack, seq);
                    Pending::take(&mut pending.status, seq);
                    "voiceEvent"
                }
                None => id,
            };
            let code = message["payload"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("no_code");
            Err(format!("error_message_{operation}_{code}"))
        }
        "ping" => socket::send_json(socket, &json!({ "type": "pong" }))
            .await
            .map_err(|_| "send_failed".to_owned()),
        "pong" => Ok(()),
        other => Err(format!("unexpected_{other}")),
    }
}

fn event_seq(id: &str) -> Option<i64> {
    id.strip_prefix('e')?.parse().ok()
}
