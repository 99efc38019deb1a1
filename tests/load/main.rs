//! `lossy-load`: many simulated reviewers driving voice sessions on one Lossy server over
//! loopback, each timing its events from send to their `voiceStatus`, next to a loopback
//! WebSocket echo measured in the same run as the floor. In the notes scenario each reviewer
//! also submits its utterances' transcripts and times their notes' arrival on a second socket.
//! See docs/benchmarks.md.
//!
//! A run is bounded: at most 5,000 sessions for at most 600 s, to 127.0.0.1 only, and it
//! stops by itself (closing its sockets, and the server when it started it).

mod accounts;
mod delivery;
mod echo;
mod idle;
mod notes;
mod outstanding;
mod report;
mod reviewer;
mod schedule;
mod server;
mod socket;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{ArgGroup, Parser, ValueEnum};
use futures_util::StreamExt;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use crate::accounts::Server;
use crate::report::{
    Latency, Memory, NotesReport, Phase, Report, ServerProcesses, Stats, cpu_secs,
};
use crate::schedule::Schedule;

/// What each simulated reviewer does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Drive a voice session: utterances and heartbeats, each event timed to its status.
    Voice,
    /// The same, on a video of the reviewer's own, and submit each heard utterance's
    /// transcript, timed to its `NoteCreated` on a second socket watching the video's notes.
    Notes,
    /// Open authenticated sockets that do nothing, and measure what each costs the server
    /// (`--sessions` is the number of sockets here, up to 20,000).
    Idle,
}

/// The most sessions the driving scenarios run (the idle one holds up to 20,000 sockets).
const MAX_DRIVEN_SESSIONS: u32 = 5000;

#[derive(Parser, Debug)]
#[command(
    name = "lossy-load",
    about = "Load generator: simulated reviewers driving voice sessions over loopback",
    group(ArgGroup::new("target").required(true).args(["server", "spawn"]))
)]
struct Args {
    /// A running `lossy serve` on loopback, e.g. http://127.0.0.1:4000 (start it with a
    /// throwaway data folder and raised LOSSY_LOGIN_RATE_PER_ADDRESS and
    /// LOSSY_JOIN_RATE_PER_ADDRESS).
    #[arg(long)]
    server: Option<String>,
    /// Start `lossy serve` on a free loopback port with a temporary data folder and raised
    /// rate limits, and stop it at the end.
    #[arg(long)]
    spawn: bool,
    /// The server binary `--spawn` starts (default: `lossy` next to this binary).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Where `--spawn` writes the server's logs (its stderr); discarded by default.
    #[arg(long)]
    server_log: Option<PathBuf>,
    /// With `--server`: the server's process id, to read its memory and CPU time. Give it
    /// once per node when `--server` is a load balancer in front of several: the figures are
    /// summed.
    #[arg(long)]
    server_pid: Vec<u32>,
    /// With `--server`: the admin who creates the reviewers' accounts.
    #[arg(
        long,
        env = "LOSSY_LOAD_ADMIN_EMAIL",
        default_value = "admin@localhost"
    )]
    admin_email: String,
    /// With `--server`: that admin's password.
    #[arg(long, env = "LOSSY_LOAD_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// What each reviewer does.
    #[arg(long, value_enum, default_value_t = Scenario::Voice)]
    scenario: Scenario,
    /// Concurrent reviewers, each one user, one device, one socket and one voice session
    /// (and in the notes scenario, one video and a second socket).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20_000))]
    sessions: u32,
    /// How long the sessions are driven (the ramp included).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    duration_secs: u64,
    /// Mean time from one utterance's start to the next (speech 1-2 s, then silence).
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(1000..=60_000))]
    utterance_every_ms: u64,
    /// Reviewers begin driving spread over this many seconds at the start of the run.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=120))]
    ramp_secs: u64,
    /// Length of the loopback echo reference, run first with as many connections (0: none).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(0..=600))]
    echo_secs: u64,
    /// Accounts created and signed in at once during set-up (each costs an Argon2 hash).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    setup_concurrency: u32,
    /// Sockets opened (and sessions started) at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=512))]
    connect_concurrency: u32,
    /// Seed of the reviewers' timing jitter.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started_at = chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    if args.scenario != Scenario::Idle && args.sessions > MAX_DRIVEN_SESSIONS {
        anyhow::bail!("--sessions is at most {MAX_DRIVEN_SESSIONS} outside the idle scenario");
    }
    let sessions = usize::try_from(args.sessions).context("--sessions")?;

    let (spawned, origin, admin_email, admin_password, pids) = if args.spawn {
        let binary = args
            .server_bin
            .clone()
            .unwrap_or_else(server::default_binary);
        note(&format!("starting {} serve", binary.display()));
        let spawned = server::spawn(&binary, sessions, args.server_log.as_deref()).await?;
        let origin = spawned.origin.clone();
        let password = spawned.admin_password.clone();
        let pid = spawned.pid;
        (
            Some(spawned),
            origin,
            server::SPAWNED_ADMIN_EMAIL.to_owned(),
            password,
            ServerProcesses::new(vec![pid]),
        )
    } else {
        let origin = args.server.clone().context("--server or --spawn")?;
        server::check_loopback(&origin)?;
        let password = args
            .admin_password
            .clone()
            .context("--admin-password (or LOSSY_LOAD_ADMIN_PASSWORD) is needed with --server")?;
        (
            None,
            origin,
            args.admin_email.clone(),
            password,
            ServerProcesses::new(args.server_pid.clone()),
        )
    };
    note(&format!("server at {origin}"));

    let outcome = match args.scenario {
        Scenario::Idle => idle_run(
            &args,
            sessions,
            &origin,
            &admin_email,
            &admin_password,
            &pids,
        )
        .await
        .map(Outcome::Idle),
        Scenario::Voice | Scenario::Notes => run(
            &args,
            sessions,
            &origin,
            &admin_email,
            &admin_password,
            &pids,
        )
        .await
        .map(|report| Outcome::Driven(Box::new(report))),
    };
    if let Some(spawned) = spawned {
        spawned.stop().await;
    }
    match outcome? {
        Outcome::Driven(mut report) => {
            report.started_at = started_at;
            print_report(&*report, &report.table(), args.json)
        }
        Outcome::Idle(mut report) => {
            report.started_at = started_at;
            print_report(&report, &report.table(), args.json)
        }
    }
}

/// What a run measured, by kind of scenario.
enum Outcome {
    Driven(Box<Report>),
    Idle(idle::IdleReport),
}

/// The report to stdout, as JSON or as its table.
fn print_report(report: &impl serde::Serialize, table: &str, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print!("{table}");
    }
    Ok(())
}

/// The idle scenario: a few reviewers, then `sockets` sockets held for the run's duration.
async fn idle_run(
    args: &Args,
    sockets: usize,
    origin: &str,
    admin_email: &str,
    admin_password: &str,
    pids: &ServerProcesses,
) -> anyhow::Result<idle::IdleReport> {
    let server = Server::new(origin)?;
    let admin = accounts::admin_token(&server, admin_email, admin_password).await?;
    let count = sockets.min(idle::MAX_ACCOUNTS);
    note(&format!("creating {count} reviewers"));
    let concurrency = usize::try_from(args.setup_concurrency).unwrap_or(4);
    let (tokens, setup_errors) = accounts::reviewers(&server, &admin, count, concurrency).await;
    for err in &setup_errors {
        note(&format!("set-up failed: {err:#}"));
    }
    note(&format!(
        "opening {sockets} idle sockets, held {} s",
        args.duration_secs
    ));
    let rss = || pids.status_kib("VmRSS");
    let mut report = idle::run(
        &server.ws_url(),
        &tokens,
        sockets,
        usize::try_from(args.connect_concurrency).unwrap_or(32),
        Duration::from_secs(args.duration_secs),
        rss,
    )
    .await;
    report
        .errors
        .extend(setup_errors.iter().map(|err| format!("set-up: {err:#}")));
    Ok(report)
}

/// Progress goes to stderr, the report to stdout.
fn note(message: &str) {
    eprintln!("lossy-load: {message}");
}

async fn run(
    args: &Args,
    sessions: usize,
    origin: &str,
    admin_email: &str,
    admin_password: &str,
    pids: &ServerProcesses,
) -> anyhow::Result<Report> {
    let rss = |field: &str| pids.status_kib(field);
    let mut memory = Memory {
        pids: pids.clone(),
        rss_start_kib: rss("VmRSS"),
        ..Memory::default()
    };
    let every = Duration::from_millis(args.utterance_every_ms);
    let ramp = Duration::from_secs(args.ramp_secs);
    let connect_concurrency = usize::try_from(args.connect_concurrency).unwrap_or(32);

    // 1. The floor, while the server is idle.
    let echo = if args.echo_secs > 0 {
        note(&format!(
            "echo reference: {sessions} connections for {} s",
            args.echo_secs
        ));
        Some(echo_phase(args, sessions, every, connect_concurrency).await?)
    } else {
        None
    };

    // 2. Accounts and device tokens (not measured).
    note(&format!("creating {sessions} reviewers"));
    let setup_begin = Instant::now();
    let server = Server::new(origin)?;
    let admin = accounts::admin_token(&server, admin_email, admin_password).await?;
    let concurrency = usize::try_from(args.setup_concurrency).unwrap_or(4);
    let (tokens, setup_errors) = accounts::reviewers(&server, &admin, sessions, concurrency).await;
    let setup_secs = setup_begin.elapsed().as_secs_f64();
    let mut total = Stats::new();
    for err in &setup_errors {
        total.error("setup_failed");
        note(&format!("set-up failed: {err:#}"));
    }

    // 3. Sockets, subscriptions and sessions (not measured).
    note(&format!("connecting {} reviewers", tokens.len()));
    let connect_begin = Instant::now();
    let url = server.ws_url();
    let scenario = args.scenario;
    let results: Vec<anyhow::Result<reviewer::Connected>> =
        futures_util::stream::iter(tokens.into_iter().enumerate())
            .map(|(n, token)| {
                let url = url.clone();
                async move { reviewer::connect(&url, &token, scenario, n).await }
            })
            .buffer_unordered(connect_concurrency)
            .collect()
            .await;
    let connect_secs = connect_begin.elapsed().as_secs_f64();
    let mut connected = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(reviewer) => connected.push(reviewer),
            Err(err) => {
                total.error("connect_failed");
                note(&format!("connect failed: {err:#}"));
            }
        }
    }
    memory.rss_connected_kib = rss("VmRSS");
    let sessions_started = connected.len();
    let delivered_before = match scenario {
        Scenario::Voice | Scenario::Idle => None,
        Scenario::Notes => read_delivery(&server).await,
    };

    // 4. The measured run.
    note(&format!(
        "driving {sessions_started} sessions for {} s",
        args.duration_secs
    ));
    let begin = Instant::now() + Duration::from_millis(100);
    let end = begin + Duration::from_secs(args.duration_secs);
    let count = connected.len().max(1);
    let server_cpu = || pids.cpu_secs();
    let cpu_before = (server_cpu(), cpu_secs("self"));
    let tasks: Vec<JoinHandle<reviewer::Measured>> = connected
        .into_iter()
        .enumerate()
        .map(|(i, reviewer)| {
            let start = begin + ramp.mul_f64(i as f64 / count as f64);
            let rng = StdRng::seed_from_u64(args.seed.wrapping_mul(1_000_003) + i as u64);
            let schedule = Schedule::new(rng, start, every);
            tokio::spawn(reviewer::drive(reviewer, schedule, end, i))
        })
        .collect();
    sleep_until(end).await;
    memory.rss_end_kib = rss("VmRSS");
    memory.rss_peak_kib = rss("VmHWM");
    let seconds = Duration::from_secs(args.duration_secs).as_secs_f64();
    let used = |before: Option<f64>, after: Option<f64>| Some((after? - before?) / seconds);
    let server_cpu_cores = used(cpu_before.0, server_cpu());
    let generator_cpu_cores = used(cpu_before.1, cpu_secs("self"));
    let mut transcripts = Stats::new();
    join_into(tasks, &mut total, |total, measured| {
        total.merge(&measured.voice);
        transcripts.merge(&measured.notes);
    })
    .await;
    let notes = match (scenario, delivered_before) {
        (Scenario::Voice | Scenario::Idle, _) => None,
        (Scenario::Notes, before) => {
            // Read after the drain, so that late notes are counted on both sides.
            let after = read_delivery(&server).await;
            Some(NotesReport {
                created: Phase::of(&transcripts, sessions_started, seconds),
                submit_ack: Latency::of(&transcripts.ack),
                server_delivery: before
                    .zip(after)
                    .map(|(before, after)| after.since(&before)),
            })
        }
    };

    Ok(Report {
        started_at: String::new(),
        sessions,
        sessions_started,
        duration_secs: args.duration_secs,
        utterance_every_ms: args.utterance_every_ms,
        setup_secs,
        connect_secs,
        server: Phase::of(&total, sessions_started, seconds),
        server_ack: Latency::of(&total.ack),
        echo,
        notes,
        memory,
        server_cpu_cores,
        generator_cpu_cores,
    })
}

/// The echo reference: as many connections as sessions, on the same plan.
async fn echo_phase(
    args: &Args,
    sessions: usize,
    every: Duration,
    connect_concurrency: usize,
) -> anyhow::Result<Phase> {
    let echo_server = echo::EchoServer::start().await?;
    let url = echo_server.url.clone();
    let results: Vec<anyhow::Result<socket::Socket>> = futures_util::stream::iter(0..sessions)
        .map(|_| {
            let url = url.clone();
            async move { echo::connect(&url).await }
        })
        .buffer_unordered(connect_concurrency)
        .collect()
        .await;
    let mut total = Stats::new();
    let mut sockets = Vec::with_capacity(sessions);
    for result in results {
        match result {
            Ok(socket) => sockets.push(socket),
            Err(err) => {
                total.error("connect_failed");
                note(&format!("echo connect failed: {err:#}"));
            }
        }
    }
    let connections = sockets.len();
    let ramp = Duration::from_secs(args.ramp_secs.min(args.echo_secs / 2));
    let begin = Instant::now() + Duration::from_millis(100);
    let end = begin + Duration::from_secs(args.echo_secs);
    let count = connections.max(1);
    let tasks: Vec<JoinHandle<Stats>> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, socket)| {
            let start = begin + ramp.mul_f64(i as f64 / count as f64);
            let rng = StdRng::seed_from_u64(args.seed.wrapping_mul(1_000_003) + i as u64);
            tokio::spawn(echo::drive(socket, Schedule::new(rng, start, every), end))
        })
        .collect();
    join_into(tasks, &mut total, |total, stats| total.merge(&stats)).await;
    echo_server.stop();
    Ok(Phase::of(
        &total,
        connections,
        Duration::from_secs(args.echo_secs).as_secs_f64(),
    ))
}

/// Awaits every task and folds what it measured into `total`; a task that failed counts as
/// an error of `total`.
async fn join_into<T>(
    tasks: Vec<JoinHandle<T>>,
    total: &mut Stats,
    mut fold: impl FnMut(&mut Stats, T),
) {
    for task in tasks {
        match task.await {
            Ok(measured) => fold(total, measured),
            Err(_) => total.error("task_failed"),
        }
    }
}

/// The server's `note_delivery` histogram now; `None` (said on stderr) when `/metrics` does
/// not answer, so the report shows it was not read rather than a zero.
async fn read_delivery(server: &Server) -> Option<delivery::Reading> {
    match delivery::Reading::take(server).await {
        Ok(reading) => Some(reading),
        Err(err) => {
            note(&format!(
                "could not read the server's note_delivery: {err:#}"
            ));
            None
        }
    }
}
