//! The reference floor: a WebSocket echo server on loopback inside this process, and as many
//! connections as sessions sending the same `voiceEvent` frames on the same plan. What the
//! server's figures add to these is the server's own work.

use std::collections::VecDeque;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use crate::outstanding::ANSWER_WAIT;
use crate::report::{Stats, record};
use crate::reviewer::EVENT;
use crate::schedule::Schedule;
use crate::socket::{self, Incoming, Socket};

/// The echo server: answers every text frame with itself until `stop` turns true.
pub struct EchoServer {
    pub url: String,
    stop: watch::Sender<bool>,
}

impl EchoServer {
    pub async fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("ws://{}/", listener.local_addr()?);
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept(listener, stopped));
        Ok(EchoServer { url, stop })
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

async fn accept(listener: TcpListener, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                // Socket options as `lossy serve` leaves them (Nagle on), so only the work differs.
                let Ok((stream, _)) = accepted else { continue };
                tokio::spawn(async move {
                    let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                        return;
                    };
                    while let Some(Ok(message)) = ws.next().await {
                        let reply = match message {
                            Message::Text(_) | Message::Binary(_) => message,
                            Message::Close(_) => break,
                            _ => continue,
                        };
                        if ws.send(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        }
    }
}

/// One echo connection.
pub async fn connect(url: &str) -> anyhow::Result<Socket> {
    socket::connect(url, None).await
}

/// Sends the plan's frames until `end` and times each echo.
pub async fn drive(mut socket: Socket, mut schedule: Schedule, end: Instant) -> Stats {
    let mut stats = Stats::new();
    let mut pending: VecDeque<(i64, Instant)> = VecDeque::new();
    let mut seq: i64 = 0;
    let session = uuid::Uuid::new_v4().to_string();
    let far = end + ANSWER_WAIT * 4;
    loop {
        let due = schedule.due();
        let sending = due < end;
        if !sending && pending.is_empty() {
            break;
        }
        let expiry = pending.front().map(|(_, sent)| *sent + ANSWER_WAIT);
        tokio::select! {
            frame = socket.next() => match socket::classify(frame) {
                Incoming::Json(message) => {
                    let seq = message["id"]
                        .as_str()
                        .and_then(|id| id.strip_prefix('e'))
                        .and_then(|n| n.parse::<i64>().ok());
                    let at = seq.and_then(|seq| pending.iter().position(|(s, _)| *s == seq));
                    match at.and_then(|at| pending.remove(at)) {
                        Some((_, sent)) => record(&mut stats.latency, sent.elapsed()),
                        None => stats.error("echo_unexpected"),
                    }
                }
                Incoming::Garbage => stats.error("not_json"),
                Incoming::Other => {}
                Incoming::Closed(how) => {
                    stats.error(format!("socket_closed_{how}"));
                    return stats;
                }
            },
            () = sleep_until(due), if sending => {
                let planned = schedule.take();
                seq += 1;
                // The same frame a reviewer sends, so both sides serialise and parse as much.
                let variables = json!({ "input": planned.input(&session, seq) });
                let text = socket::operation(&format!("e{seq}"), EVENT, variables);
                let sent = Instant::now();
                if socket.send(text.into()).await.is_err() {
                    stats.error("send_failed");
                    return stats;
                }
                stats.sent += 1;
                pending.push_back((seq, sent));
            }
            () = sleep_until(expiry.unwrap_or(far)), if expiry.is_some() => {
                let now = Instant::now();
                while pending.front().is_some_and(|(_, sent)| *sent + ANSWER_WAIT <= now) {
                    pending.pop_front();
                    stats.error("echo_timeout");
                }
            }
        }
    }
    socket::close(socket).await;
    stats
}
