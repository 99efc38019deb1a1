//! The session runtime's timers on paused tokio time: a real [`SessionTask`] sleeping until its
//! machine's deadlines, driven through its inbox like the GraphQL resolvers drive it.
//!
//! The clock is tokio's, paused: whenever every task waits, tokio jumps to the next timer, so
//! each status below arrives at the exact virtual millisecond its timer was due, and a test
//! asserts that millisecond. That only holds if nothing waits outside the runtime, which is why
//! the step writer here acknowledges in memory instead of committing to SQLite (whose worker
//! threads would let the clock jump mid-write) and telemetry goes to a channel. Persistence
//! itself is tested against real databases in `writer`, `registry` and the socket tests.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio::time::sleep;
use uuid::Uuid;

use super::clock::SessionClock;
use super::machine::{
    CaptureStopReason, Command, EventKind, IgnoreReason, Millis, Outcome, SpeechEndReason,
    StopReason, TRANSCRIPT_GRACE_MS, VoiceConfig, VoiceEvent, VoiceMachine, VoiceState,
};
use super::session::{
    EventAck, INBOX, Message, SessionHandle, SessionIo, SessionTask, VoiceStatus,
};
use super::store::SessionOwner;
use super::writer::{OwnedStep, StepWriter};
use crate::bus::KeyedTopic;
use crate::state::{ShutdownTrigger, shutdown_pair};
use crate::telemetry::{ServerEvent, TelemetryRecorder, names};

/// One running session and everything it sends out.
struct Session {
    id: Uuid,
    handle: SessionHandle,
    clock: SessionClock,
    /// `clock.now()` when the session started: statuses are timed from here.
    origin: Millis,
    statuses: Pin<Box<dyn Stream<Item = VoiceStatus> + Send>>,
    written: mpsc::UnboundedReceiver<(Uuid, OwnedStep)>,
    /// Every step written so far, oldest first.
    steps: Vec<OwnedStep>,
    telemetry: mpsc::Receiver<ServerEvent>,
    seq: i64,
    _shutdown: ShutdownTrigger,
}

impl Session {
    fn start(config: VoiceConfig) -> Session {
        let clock = SessionClock::default();
        let origin = clock.now();
        let (machine, _) = VoiceMachine::new(origin, &config);
        let owner = SessionOwner {
            user_id: Uuid::new_v4(),
            device_id: Uuid::new_v4(),
            video_id: None,
            tab_id: 1,
            page_instance_id: "page".into(),
        };
        let topic = Arc::new(KeyedTopic::new("voice_status"));
        let statuses = Box::pin(topic.subscribe(owner.user_id));
        let (writer, written) = StepWriter::acknowledging();
        let (telemetry, recorded) = TelemetryRecorder::capturing(4096);
        let (trigger, shutdown) = shutdown_pair();
        let id = Uuid::new_v4();
        let mut task = SessionTask {
            id,
            owner: owner.clone(),
            machine,
            config,
            started_at: clock.wall(origin),
            clock,
            socket: None,
            io: SessionIo {
                writer,
                statuses: topic,
                telemetry,
                shutdown,
                live: Arc::default(),
            },
            epoch: 1,
            moved: false,
        };
        let (inbox_tx, mut inbox) = mpsc::channel(INBOX);
        tokio::spawn(async move { task.run(&mut inbox).await });
        Session {
            id,
            handle: SessionHandle::new(id, owner, inbox_tx),
            clock,
            origin,
            statuses,
            written,
            steps: Vec::new(),
            telemetry: recorded,
            seq: 0,
            _shutdown: trigger,
        }
    }

    /// Virtual milliseconds since the session started.
    fn elapsed(&self) -> Millis {
        self.clock.now() - self.origin
    }

    /// Sends the next event, stamped now on the session's clock, and answers its ack.
    async fn send(&mut self, kind: EventKind) -> EventAck {
        self.seq += 1;
        let event = VoiceEvent {
            seq: self.seq,
            occurred_at: self.clock.now(),
            kind,
        };
        self.handle
            .ask(|reply| Message::Event {
                event,
                received: std::time::Instant::now(),
                reply,
            })
            .await
            .expect("the session answers")
    }

    async fn speech_start(&mut self, id: &str, video_playing: bool) -> EventAck {
        self.send(EventKind::SpeechStart {
            utterance_id: id.into(),
            media_time: 12.5,
            video_playing,
        })
        .await
    }

    async fn speech_end(&mut self, id: &str, duration_ms: i64) -> EventAck {
        self.send(EventKind::SpeechEnd {
            utterance_id: id.into(),
            duration_ms,
            reason: SpeechEndReason::NaturalEnd,
        })
        .await
    }

    async fn heartbeat(&mut self) -> EventAck {
        self.send(EventKind::Heartbeat).await
    }

    async fn error(&mut self) -> EventAck {
        self.send(EventKind::Error {
            message: "microphone lost".into(),
        })
        .await
    }

    /// Waits (on virtual time) for the next status and answers it with the millisecond it was
    /// published at. Checks on the way that the step behind it was written first.
    async fn next(&mut self) -> (Millis, VoiceStatus) {
        let status = self.statuses.next().await.expect("the bus stays open");
        let at = status.at.timestamp_millis() - self.clock.wall(self.origin).timestamp_millis();
        self.collect_written();
        assert!(
            self.steps
                .iter()
                .any(|step| step.machine.state() == status.state
                    && step.machine.last_applied_seq() == status.seq),
            "published before it was written: {status:?}"
        );
        (at, status)
    }

    /// The statuses already published and not yet read.
    fn pending(&mut self) -> Vec<VoiceStatus> {
        std::iter::from_fn(|| self.statuses.next().now_or_never().flatten()).collect()
    }

    /// Skips the statuses already published (the answers to events the test sent).
    fn skip_answers(&mut self) {
        self.pending();
    }

    fn collect_written(&mut self) {
        while let Ok((session, step)) = self.written.try_recv() {
            assert_eq!(session, self.id);
            self.steps.push(step);
        }
    }

    fn recorded(&mut self) -> Vec<ServerEvent> {
        std::iter::from_fn(|| self.telemetry.try_recv().ok()).collect()
    }
}

async fn advance(ms: u64) {
    sleep(Duration::from_millis(ms)).await;
}

/// A configuration whose timers do not get in each other's way unless a test says so.
fn config() -> VoiceConfig {
    VoiceConfig {
        idle_stop_ms: 600_000,
        heartbeat_timeout_ms: 300_000,
        ..VoiceConfig::default()
    }
}

#[tokio::test(start_paused = true)]
async fn cooldown_ends_exactly_cooldown_ms_after_the_speech_end() {
    let mut s = Session::start(config());
    s.speech_start("u1", false).await;
    advance(1200).await;
    s.speech_end("u1", 1200).await;
    s.skip_answers();

    let (at, status) = s.next().await;
    assert_eq!(status.state, VoiceState::Observing);
    assert_eq!(status.previous_state, Some(VoiceState::Cooldown));
    assert_eq!(status.cause, "cooldown_elapsed");
    assert_eq!(at, 1200 + 500);
    assert_eq!(status.counters.speech_ends, 1);
}

#[tokio::test(start_paused = true)]
async fn a_start_within_the_merge_window_continues_the_utterance_and_later_is_ignored() {
    let mut s = Session::start(config());
    s.speech_start("u1", false).await;
    advance(1000).await;
    s.speech_end("u1", 1000).await;

    // 249 ms after the end: inside the 250 ms merge window.
    advance(249).await;
    let merged = s.speech_start("u2", false).await;
    assert_eq!(merged.state, VoiceState::Recording);
    advance(500).await;
    s.speech_end("u2", 500).await;

    // 251 ms after this end: past the merge window, still in the 500 ms cooldown.
    advance(251).await;
    let late = s.speech_start("u3", false).await;
    assert_eq!(late.outcome, Outcome::Ignored(IgnoreReason::Cooldown));
    assert_eq!(late.state, VoiceState::Cooldown);
    let answers = s.pending();
    let last = answers.last().expect("every applied event is answered");
    assert_eq!(last.counters.merged, 1);
    assert_eq!(last.counters.ignored_cooldown, 1);
    assert_eq!(last.counters.speech_detections, 1);

    // The ignored start does not move the cooldown: it ends 500 ms after the second end.
    let (at, status) = s.next().await;
    assert_eq!(status.state, VoiceState::Observing);
    assert_eq!(at, 1000 + 249 + 500 + 500);
}

#[tokio::test(start_paused = true)]
async fn the_video_resumes_auto_resume_delay_after_the_speech_end() {
    let mut s = Session::start(VoiceConfig {
        auto_resume_delay_ms: 800,
        ..config()
    });
    s.speech_start("u1", true).await;
    let paused = s.pending();
    assert!(
        paused
            .iter()
            .any(|st| st.command == Some(Command::PauseVideo)),
        "{paused:?}"
    );
    advance(2000).await;
    s.speech_end("u1", 2000).await;
    s.skip_answers();

    // Cooldown (500 ms) and the resume (800 ms) are two timers, in that order.
    let (at, observing) = s.next().await;
    assert_eq!((at, observing.state), (2500, VoiceState::Observing));
    assert_eq!(observing.command, None);
    let (at, resume) = s.next().await;
    assert_eq!(at, 2800);
    assert_eq!(resume.command, Some(Command::ResumeVideo));
    assert_eq!(resume.state, VoiceState::Observing);
}

#[tokio::test(start_paused = true)]
async fn a_video_that_was_not_playing_is_never_resumed() {
    let mut s = Session::start(config());
    s.speech_start("u1", false).await;
    advance(1000).await;
    s.speech_end("u1", 1000).await;
    advance(10_000).await;
    let statuses = s.pending();
    assert!(
        statuses
            .iter()
            .all(|st| !matches!(st.command, Some(Command::PauseVideo | Command::ResumeVideo))),
        "{statuses:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn idle_stop_fires_after_idle_stop_ms_without_speech_and_speech_restarts_the_count() {
    let mut s = Session::start(VoiceConfig {
        idle_stop_ms: 10_000,
        ..config()
    });
    // Speech at 5 s disarms idle stop; observing again at 6.5 s arms it afresh.
    advance(5000).await;
    s.speech_start("u1", false).await;
    advance(1000).await;
    s.speech_end("u1", 1000).await;
    s.skip_answers();
    let (at, observing) = s.next().await;
    assert_eq!((at, observing.state), (6500, VoiceState::Observing));

    let (at, idle) = s.next().await;
    assert_eq!(at, 6500 + 10_000);
    assert_eq!(idle.state, VoiceState::Idle);
    assert_eq!(idle.cause, "idle_stop");
    assert_eq!(
        idle.command,
        Some(Command::StopCapture {
            reason: CaptureStopReason::NoSpeechTimeout
        })
    );
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_the_session_and_silence_disconnects_it_then_the_ttl_closes_it() {
    let mut s = Session::start(VoiceConfig {
        heartbeat_timeout_ms: 15_000,
        session_ttl_ms: 60_000,
        ..config()
    });
    for _ in 0..4 {
        advance(5000).await;
        s.heartbeat().await;
    }
    s.skip_answers();
    assert_eq!(s.elapsed(), 20_000);

    let (at, disconnected) = s.next().await;
    assert_eq!(at, 20_000 + 15_000);
    assert_eq!(disconnected.state, VoiceState::Disconnected);
    assert_eq!(disconnected.cause, "heartbeat_timeout");
    assert_eq!(disconnected.counters.disconnects, 1);

    let (at, closed) = s.next().await;
    assert_eq!(at, 35_000 + 60_000);
    assert_eq!(closed.state, VoiceState::Closed);
    assert_eq!(closed.cause, "session_ttl_expired");

    // The task ends with the session, and every transition was recorded with its id.
    tokio::task::yield_now().await;
    assert!(!s.handle.is_running());
    let transitions: Vec<String> = s
        .recorded()
        .into_iter()
        .filter(|e| e.name == names::VOICE_TRANSITION)
        .inspect(|e| assert_eq!(e.session_id, Some(s.id)))
        .map(|e| e.properties["to"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(transitions, ["disconnected", "closed"]);
}

#[tokio::test(start_paused = true)]
async fn speech_with_no_end_is_ended_at_max_speech_plus_the_grace() {
    let mut s = Session::start(VoiceConfig {
        max_speech_ms: 5000,
        ..config()
    });
    advance(300).await;
    s.speech_start("u1", false).await;
    s.skip_answers();

    let (at, ended) = s.next().await;
    assert_eq!(at, 300 + 5000 + super::machine::MAX_SPEECH_GRACE_MS);
    assert_eq!(ended.state, VoiceState::Cooldown);
    assert_eq!(ended.cause, "max_speech");
    assert_eq!(ended.command, Some(Command::StopUtterance));
    assert_eq!(ended.counters.forced_ends, 1);

    let late = s.speech_end("u1", 6000).await;
    assert_eq!(late.outcome, Outcome::Ignored(IgnoreReason::UtteranceEnded));
}

#[tokio::test(start_paused = true)]
async fn capture_restarts_after_its_backoff_and_the_circuit_opens_past_max_restarts() {
    let mut s = Session::start(VoiceConfig {
        max_restarts: 2,
        restart_window_ms: 60_000,
        ..config()
    });
    s.error().await;
    let first = s.pending();
    assert!(
        first
            .iter()
            .any(|st| st.command == Some(Command::RestartCapture { backoff_ms: 500 })),
        "{first:?}"
    );
    // A heartbeat before the backoff has passed does not count as recovered.
    advance(499).await;
    assert_eq!(s.heartbeat().await.state, VoiceState::Error);
    advance(1).await;
    assert_eq!(s.heartbeat().await.state, VoiceState::Observing);

    advance(1000).await;
    s.error().await;
    let second = s.pending();
    assert!(
        second
            .iter()
            .any(|st| st.command == Some(Command::RestartCapture { backoff_ms: 1000 })),
        "{second:?}"
    );
    advance(1000).await;
    assert_eq!(s.heartbeat().await.state, VoiceState::Observing);

    // The third error within the window is one more than max_restarts.
    advance(1000).await;
    s.error().await;
    let third = s.pending();
    assert!(
        third.iter().any(|st| st.command
            == Some(Command::StopCapture {
                reason: CaptureStopReason::CircuitOpen
            })),
        "{third:?}"
    );
    advance(60_000).await;
    assert_eq!(s.heartbeat().await.state, VoiceState::Error);
    assert_eq!(s.pending().last().map(|st| st.counters.restarts), Some(2));
}

#[tokio::test(start_paused = true)]
async fn errors_spread_wider_than_the_restart_window_never_open_the_circuit() {
    let mut s = Session::start(VoiceConfig {
        max_restarts: 1,
        restart_window_ms: 10_000,
        ..config()
    });
    for _ in 0..4 {
        s.error().await;
        advance(500).await;
        assert_eq!(s.heartbeat().await.state, VoiceState::Observing);
        advance(10_000).await;
    }
    let statuses = s.pending();
    assert!(
        statuses
            .iter()
            .all(|st| !matches!(st.command, Some(Command::StopCapture { .. }))),
        "{statuses:?}"
    );
    assert_eq!(statuses.last().map(|st| st.counters.restarts), Some(4));
}

#[tokio::test(start_paused = true)]
async fn a_stop_after_utterance_closes_at_the_grace_deadline_without_its_note() {
    let mut s = Session::start(config());
    s.speech_start("u1", false).await;
    advance(1000).await;
    s.handle
        .tell(Message::StopAfterUtterance {
            reason: StopReason::ContextMoved,
        })
        .await;
    s.skip_answers();

    // Still recording past the request; the grace cuts it short, utterance first.
    let (at, cut) = s.next().await;
    assert_eq!(at, 1000 + TRANSCRIPT_GRACE_MS);
    assert_eq!(cut.state, VoiceState::Closed);
    assert_eq!(cut.cause, "context_moved");
    assert_eq!(cut.command, Some(Command::StopUtterance));
    let (at, stopped) = s.next().await;
    assert_eq!(at, 1000 + TRANSCRIPT_GRACE_MS);
    assert_eq!(
        stopped.command,
        Some(Command::StopCapture {
            reason: CaptureStopReason::SessionClosed(StopReason::ContextMoved)
        })
    );
    tokio::task::yield_now().await;
    assert!(!s.handle.is_running());
}

#[tokio::test(start_paused = true)]
async fn a_stop_after_utterance_fires_on_the_note_of_the_utterance_in_flight() {
    let mut s = Session::start(config());
    s.speech_start("u1", false).await;
    advance(1200).await;
    s.speech_end("u1", 1200).await;
    s.handle
        .tell(Message::StopAfterUtterance {
            reason: StopReason::ContextMoved,
        })
        .await;
    // New speech waits for no one: the context has moved on.
    advance(100).await;
    let refused = s.speech_start("u2", false).await;
    assert_eq!(refused.outcome, Outcome::Ignored(IgnoreReason::Stopping));
    s.skip_answers();

    let (at, observing) = s.next().await;
    assert_eq!((at, observing.state), (1200 + 500, VoiceState::Observing));

    advance(2000).await;
    s.handle
        .tell(Message::NoteRecorded {
            utterance_id: Some("u1".into()),
            kept: true,
        })
        .await;
    let (at, closed) = s.next().await;
    assert_eq!(at, 1200 + 500 + 2000);
    assert_eq!(closed.state, VoiceState::Closed);
    assert_eq!(closed.cause, "context_moved");
    assert_eq!(closed.counters.notes_created, 1);
    assert_eq!(
        closed.command,
        Some(Command::StopCapture {
            reason: CaptureStopReason::SessionClosed(StopReason::ContextMoved)
        })
    );
}
