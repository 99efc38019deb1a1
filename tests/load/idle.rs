//! The idle scenario: what an open, authenticated socket that does nothing costs the server.
//! Sockets are opened (`connection_init` with a device token, `connection_ack`), then held for
//! the run, answering keep-alive pings; the server's resident memory is read before the first
//! socket and once they are all open and settled. A socket the server closes is an error.
//!
//! Sockets share a few reviewers' device tokens (signing in 10,000 users would measure
//! Argon2, not sockets), so the spawned server's per-device join limit is raised.

use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until};

use crate::socket::{self, Incoming, Socket};

/// Each socket must open and be acknowledged within this.
const CONNECT_STEP: Duration = Duration::from_secs(30);
/// After the last socket opened, time for the server's allocator and tasks to settle before
/// its memory is read.
const SETTLE: Duration = Duration::from_secs(3);
/// Reviewers whose device tokens the sockets share.
pub const MAX_ACCOUNTS: usize = 50;

/// What the idle scenario measured.
#[derive(Debug, Default, Serialize)]
pub struct IdleReport {
    pub started_at: String,
    pub sockets: usize,
    pub opened: usize,
    /// Sockets the server closed or dropped while they were held.
    pub closed_by_server: usize,
    pub errors: Vec<String>,
    pub connect_secs: f64,
    /// The server's `VmRSS` before the first socket.
    pub rss_before_kib: Option<u64>,
    /// `VmRSS` with the first half of the sockets open and settled: the baseline, taken
    /// after the set-up's transient memory (password hashes, first connections) has come and
    /// gone as far as it will.
    pub rss_half_kib: Option<u64>,
    /// `VmRSS` with every socket open and settled.
    pub rss_open_kib: Option<u64>,
    /// `(rss_open - rss_half) / sockets of the second half`.
    pub per_socket_kib: Option<f64>,
}

impl IdleReport {
    pub fn table(&self) -> String {
        let kib = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v} KiB"));
        let mut out = format!(
            "lossy-load {}: idle sockets: {} asked, {} open (in {:.1} s), {} closed by the server while held\n",
            self.started_at, self.sockets, self.opened, self.connect_secs, self.closed_by_server
        );
        out.push_str(&format!(
            "server RSS: before {}, half open {}, all open {}, per socket (second half) {}\n",
            kib(self.rss_before_kib),
            kib(self.rss_half_kib),
            kib(self.rss_open_kib),
            self.per_socket_kib
                .map_or_else(|| "-".to_owned(), |v| format!("{v:.1} KiB"))
        ));
        if !self.errors.is_empty() {
            out.push_str(&format!("errors: {:?}\n", self.errors));
        }
        out
    }
}

/// Opens `sockets` sockets with `tokens` in turn, `concurrency` at a time, in two halves with
/// the server's memory read after each, holds them until `hold` has passed after the last one
/// opened, and reports what they cost.
pub async fn run(
    url: &str,
    tokens: &[String],
    sockets: usize,
    concurrency: usize,
    hold: Duration,
    rss: impl Fn() -> Option<u64>,
) -> IdleReport {
    let mut report = IdleReport {
        sockets,
        rss_before_kib: rss(),
        ..IdleReport::default()
    };
    if tokens.is_empty() {
        report.errors.push("no reviewer could be set up".to_owned());
        return report;
    }
    let begin = Instant::now();
    let half = sockets / 2;
    let mut held = open(url, tokens, 0..half, concurrency, &mut report).await;
    sleep(SETTLE).await;
    report.rss_half_kib = rss();
    let second = open(url, tokens, half..sockets, concurrency, &mut report).await;
    report.connect_secs = begin.elapsed().as_secs_f64();
    let second_count = second.len();
    held.extend(second);
    report.opened = held.len();
    sleep(SETTLE).await;
    report.rss_open_kib = rss();
    report.per_socket_kib = report
        .rss_half_kib
        .zip(report.rss_open_kib)
        .filter(|_| second_count > 0)
        .map(|(half, open)| (open as f64 - half as f64) / second_count as f64);
    let end = Instant::now() + hold;
    let tasks: Vec<JoinHandle<Option<String>>> = held
        .into_iter()
        .map(|socket| tokio::spawn(hold_open(socket, end)))
        .collect();
    for task in tasks {
        match task.await {
            Ok(None) => {}
            Ok(Some(how)) => {
                report.closed_by_server += 1;
                if report.errors.len() < 20 {
                    report.errors.push(how);
                }
            }
            Err(_) => report.errors.push("a socket's task failed".to_owned()),
        }
    }
    report
}

/// Opens sockets `numbers`, `concurrency` at a time; failures go to the report's errors.
async fn open(
    url: &str,
    tokens: &[String],
    numbers: std::ops::Range<usize>,
    concurrency: usize,
    report: &mut IdleReport,
) -> Vec<Socket> {
    let opened: Vec<anyhow::Result<Socket>> = futures_util::stream::iter(numbers)
        .map(|n| {
            let token = tokens[n % tokens.len()].clone();
            async move { socket::open_graphql(url, &token, CONNECT_STEP).await }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut sockets = Vec::with_capacity(opened.len());
    for result in opened {
        match result {
            Ok(socket) => sockets.push(socket),
            Err(err) if report.errors.len() < 20 => report.errors.push(format!("{err:#}")),
            Err(_) => {}
        }
    }
    sockets
}

/// Keeps the socket open until `end`, answering pings; answers how the server ended it early.
async fn hold_open(mut socket: Socket, end: Instant) -> Option<String> {
    loop {
        let frame = tokio::select! {
            frame = socket.next() => frame,
            () = sleep_until(end) => break,
        };
        match socket::classify(frame) {
            Incoming::Json(message) if message["type"] == "ping" => {
                if let Err(err) = socket::pong(&mut socket).await {
                    return Some(format!("pong failed: {err:#}"));
                }
            }
            Incoming::Closed(how) => return Some(format!("closed ({how})")),
            Incoming::Json(_) | Incoming::Garbage | Incoming::Other => {}
        }
    }
    socket::close(socket).await;
    None
}
