//! What one connection measured, merged over all of them, and printed as a table or JSON.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::delivery::Delivery;

/// Longest latency the histograms hold (60 s, in microseconds); longer ones are clamped.
const HIGHEST_US: u64 = 60_000_000;

/// Counters and histograms of one connection (or of all, once merged), for one kind of
/// request: voice events, transcripts, or the echo's frames.
pub struct Stats {
    /// Send → what the request is for, published on a subscription: the first `voiceStatus`
    /// with the event's `seq`, the transcript's `NoteCreated` (or → the echoed frame).
    pub latency: Histogram<u64>,
    /// Send → the mutation's own answer (`voiceEvent`, `submitTranscript`); unused by the echo.
    pub ack: Histogram<u64>,
    pub sent: u64,
    pub errors: BTreeMap<String, u64>,
}

impl Stats {
    pub fn new() -> Self {
        Stats {
            latency: histogram(),
            ack: histogram(),
            sent: 0,
            errors: BTreeMap::new(),
        }
    }

    pub fn error(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Stats) {
        // Both histograms have the same bounds, so adding cannot fail.
        let _ = self.latency.add(&other.latency);
        let _ = self.ack.add(&other.ack);
        self.sent += other.sent;
        for (kind, count) in &other.errors {
            *self.errors.entry(kind.clone()).or_default() += count;
        }
    }

    pub fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }
}

fn histogram() -> Histogram<u64> {
    // Three significant digits from 1 µs to 60 s: valid bounds, so this cannot fail.
    Histogram::new_with_bounds(1, HIGHEST_US, 3).unwrap_or_else(|_| unreachable!())
}

/// Records a duration in microseconds (at least 1, at most the histogram's top).
pub fn record(histogram: &mut Histogram<u64>, elapsed: std::time::Duration) {
    let us = u64::try_from(elapsed.as_micros()).unwrap_or(HIGHEST_US);
    histogram.saturating_record(us.clamp(1, HIGHEST_US));
}

/// Percentiles of one histogram, in milliseconds.
#[derive(Debug, Serialize)]
pub struct Latency {
    pub count: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    pub fn of(histogram: &Histogram<u64>) -> Self {
        let ms = |us: u64| us as f64 / 1000.0;
        if histogram.is_empty() {
            return Latency {
                count: 0,
                p50_ms: 0.0,
                p95_ms: 0.0,
                p99_ms: 0.0,
                max_ms: 0.0,
                mean_ms: 0.0,
            };
        }
        Latency {
            count: histogram.len(),
            p50_ms: ms(histogram.value_at_quantile(0.50)),
            p95_ms: ms(histogram.value_at_quantile(0.95)),
            p99_ms: ms(histogram.value_at_quantile(0.99)),
            max_ms: ms(histogram.max()),
            mean_ms: histogram.mean() / 1000.0,
        }
    }
}

/// The server's processes (`--server-pid`, once per node, or the one `--spawn` started), read
/// from `/proc` and summed, so that several nodes behind a load balancer read as one server.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct ServerProcesses(Vec<u32>);

impl ServerProcesses {
    pub fn new(pids: Vec<u32>) -> Self {
        ServerProcesses(pids)
    }

    /// A `Vm…:` field of their `/proc/<pid>/status`, summed, in KiB; none when there is no
    /// process to read or one of them cannot be read.
    pub fn status_kib(&self, field: &str) -> Option<u64> {
        if self.0.is_empty() {
            return None;
        }
        self.0.iter().map(|&pid| proc_status_kib(pid, field)).sum()
    }

    /// Their user plus system CPU time so far, summed, in seconds.
    pub fn cpu_secs(&self) -> Option<f64> {
        if self.0.is_empty() {
            return None;
        }
        self.0.iter().map(|pid| cpu_secs(&pid.to_string())).sum()
    }

    fn label(&self) -> String {
        match self.0.as_slice() {
            [] => "pid ?".to_owned(),
            [one] => format!("pid {one}"),
            many => {
                let pids: Vec<String> = many.iter().map(u32::to_string).collect();
                format!("pids {}, summed", pids.join(" + "))
            }
        }
    }
}

/// Resident memory of the server's processes, in KiB (from `/proc/<pid>/status`, summed over
/// them; the peak is the sum of each one's own peak).
#[derive(Debug, Default, Serialize)]
pub struct Memory {
    pub pids: ServerProcesses,
    /// `VmRSS` once the server is up, before any load.
    pub rss_start_kib: Option<u64>,
    /// `VmRSS` with every session connected and started, before driving.
    pub rss_connected_kib: Option<u64>,
    /// `VmRSS` at the end of the run, sockets still open.
    pub rss_end_kib: Option<u64>,
    /// `VmHWM`: the most resident memory the process ever had.
    pub rss_peak_kib: Option<u64>,
}

/// One measured phase (the server under load, or the echo reference).
#[derive(Debug, Serialize)]
pub struct Phase {
    pub connections: usize,
    pub seconds: f64,
    pub events_sent: u64,
    pub events_per_sec: f64,
    pub latency: Latency,
    pub errors: u64,
    pub error_kinds: BTreeMap<String, u64>,
}

impl Phase {
    pub fn of(stats: &Stats, connections: usize, seconds: f64) -> Self {
        Phase {
            connections,
            seconds,
            events_sent: stats.sent,
            events_per_sec: if seconds > 0.0 {
                stats.sent as f64 / seconds
            } else {
                0.0
            },
            latency: Latency::of(&stats.latency),
            errors: stats.error_total(),
            error_kinds: stats.errors.clone(),
        }
    }
}

/// Everything one run printed.
#[derive(Debug, Serialize)]
pub struct Report {
    pub started_at: String,
    pub sessions: usize,
    pub sessions_started: usize,
    pub duration_secs: u64,
    pub utterance_every_ms: u64,
    pub setup_secs: f64,
    pub connect_secs: f64,
    pub server: Phase,
    /// Send → the mutation's own answer on the same socket.
    pub server_ack: Latency,
    pub echo: Option<Phase>,
    /// The notes scenario's figures (absent in the voice scenario).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<NotesReport>,
    pub memory: Memory,
    /// CPU the server used while the sessions were driven, in cores (1.0 = one core busy).
    pub server_cpu_cores: Option<f64>,
    /// CPU this generator used over the same window, in cores.
    pub generator_cpu_cores: Option<f64>,
}

/// What the notes scenario measured besides the voice events.
#[derive(Debug, Serialize)]
pub struct NotesReport {
    /// Transcript sent → its `NoteCreated` on the reviewer's second socket.
    pub created: Phase,
    /// Transcript sent → the `submitTranscript` answer on the extension socket.
    pub submit_ack: Latency,
    /// The server's own `note_delivery` over the run, from its `/metrics`.
    pub server_delivery: Option<Delivery>,
}

fn kib(value: Option<u64>) -> String {
    value.map_or_else(
        || "-".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

fn row(name: &str, phase: &Phase) -> String {
    let l = &phase.latency;
    format!(
        "{name:<22} {:>6} {:>9} {:>9.1} {:>8.3} {:>8.3} {:>8.3} {:>9.3} {:>7}",
        phase.connections,
        phase.events_sent,
        phase.events_per_sec,
        l.p50_ms,
        l.p95_ms,
        l.p99_ms,
        l.max_ms,
        phase.errors
    )
}

/// A row with percentiles only: the mutations' own answers.
fn latency_row(name: &str, l: &Latency) -> String {
    format!(
        "{name:<22} {:>6} {:>9} {:>9} {:>8.3} {:>8.3} {:>8.3} {:>9.3} {:>7}\n",
        "", l.count, "", l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms, ""
    )
}

/// The server's `note_delivery`: bucket bounds, not exact percentiles.
fn delivery_line(delivery: Option<&Delivery>) -> String {
    let Some(d) = delivery else {
        return "server note_delivery: not read (see stderr)\n".to_owned();
    };
    if d.count == 0 {
        return "server note_delivery: no note delivered\n".to_owned();
    }
    let last = d.within_ms.last().map_or(0.0, |(bound, _)| *bound);
    let at_most = |ms: Option<f64>| ms.map_or_else(|| format!("> {last}"), |ms| format!("<= {ms}"));
    format!(
        "server note_delivery (its /metrics, by bucket): {} notes, mean {:.3} ms, p50 {} ms, p95 {} ms, p99 {} ms\n",
        d.count,
        d.mean_ms,
        at_most(d.p50_at_most_ms),
        at_most(d.p95_at_most_ms),
        at_most(d.p99_at_most_ms)
    )
}

impl Report {
    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let scenario = if self.notes.is_some() {
            ", each one's transcript submitted and its note watched on a second socket"
        } else {
            ""
        };
        out.push_str(&format!(
            "lossy-load {}: {} sessions ({} started), {} s, an utterance every ~{} ms{scenario}\n",
            self.started_at,
            self.sessions,
            self.sessions_started,
            self.duration_secs,
            self.utterance_every_ms
        ));
        out.push_str(&format!(
            "set-up {:.1} s (users, logins, tokens), connect {:.1} s (sockets, subscriptions, sessions)\n\n",
            self.setup_secs, self.connect_secs
        ));
        out.push_str(&format!(
            "{:<22} {:>6} {:>9} {:>9} {:>8} {:>8} {:>8} {:>9} {:>7}\n",
            "latency (ms)", "conns", "events", "events/s", "p50", "p95", "p99", "max", "errors"
        ));
        out.push_str(&row("server voiceStatus", &self.server));
        out.push('\n');
        out.push_str(&latency_row("server voiceEvent ack", &self.server_ack));
        if let Some(notes) = &self.notes {
            out.push_str(&row("server NoteCreated", &notes.created));
            out.push('\n');
            out.push_str(&latency_row("server submitTranscript", &notes.submit_ack));
        }
        if let Some(echo) = &self.echo {
            out.push_str(&row("loopback echo (floor)", echo));
            out.push('\n');
        }
        if !self.server.error_kinds.is_empty() {
            out.push_str(&format!("\nserver errors: {:?}\n", self.server.error_kinds));
        }
        if let Some(notes) = self.notes.as_ref() {
            if !notes.created.error_kinds.is_empty() {
                out.push_str(&format!("note errors: {:?}\n", notes.created.error_kinds));
            }
            out.push('\n');
            out.push_str(&delivery_line(notes.server_delivery.as_ref()));
        }
        if let Some(echo) = self.echo.as_ref().filter(|e| !e.error_kinds.is_empty()) {
            out.push_str(&format!("echo errors: {:?}\n", echo.error_kinds));
        }
        let cores = |c: Option<f64>| c.map_or_else(|| "-".to_owned(), |c| format!("{c:.2}"));
        out.push_str(&format!(
            "\nCPU while driving (cores of 2): server {}, generator {}",
            cores(self.server_cpu_cores),
            cores(self.generator_cpu_cores)
        ));
        let m = &self.memory;
        out.push_str(&format!(
            "\nserver RSS ({}): start {}, sessions connected {}, end {}, peak {}\n",
            m.pids.label(),
            kib(m.rss_start_kib),
            kib(m.rss_connected_kib),
            kib(m.rss_end_kib),
            kib(m.rss_peak_kib)
        ));
        out
    }
}

/// A `Vm…:` line of `/proc/<pid>/status`, in KiB.
fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// User plus system CPU time of a process so far, in seconds (`"self"` for this one).
pub fn cpu_secs(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it are space-separated.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / USER_HZ)
}
