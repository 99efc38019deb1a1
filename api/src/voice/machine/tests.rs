//! One test per row of the 5.1 table (named after it), per guard, per reason an event is
//! ignored, and for sequencing, restoring and naming. The property tests are in `properties`.

use super::*;
use crate::settings::UserSettings;

use VoiceState::{Closed, Cooldown, Disconnected, Error, Idle, Observing, Recording};

const T0: Millis = 1_000_000;

/// A session driven the way the runtime drives it: one clock, contiguous seqs.
struct Session {
    machine: VoiceMachine,
    config: VoiceConfig,
    now: Millis,
    seq: i64,
}

impl Session {
    fn new() -> Session {
        Session::with(VoiceConfig::default())
    }

    fn with(config: VoiceConfig) -> Session {
        let (machine, _) = VoiceMachine::new(T0, &config);
        Session {
            machine,
            config,
            now: T0,
            seq: 0,
        }
    }

    /// A session whose client never times out, for tests of the longer timers.
    fn quiet() -> Session {
        Session::with(quiet())
    }

    fn state(&self) -> VoiceState {
        self.machine.state()
    }

    fn counters(&self) -> Counters {
        self.machine.counters()
    }

    /// Moves the clock to `ms` after the session started.
    fn at(&mut self, ms: Millis) -> &mut Session {
        self.now = T0 + ms;
        self
    }

    fn send(&mut self, input: Input) -> Step {
        let (machine, step) = self.machine.step(&input, self.now, &self.config);
        self.machine = machine;
        step
    }

    fn tick(&mut self) -> Step {
        self.send(Input::Tick)
    }

    /// The next event, happening now on the client's clock too.
    fn event(&mut self, kind: EventKind) -> Step {
        self.event_at(self.now, kind)
    }

    /// The next event, which the client says happened at `occurred_at`.
    fn event_at(&mut self, occurred_at: Millis, kind: EventKind) -> Step {
        self.seq += 1;
        let event = VoiceEvent {
            seq: self.seq,
            occurred_at,
            kind,
        };
        self.send(Input::Event(event))
    }

    fn speech_start(&mut self, id: &str, video_playing: bool) -> Step {
        self.event(start(id, 12.5, video_playing))
    }

    fn speech_end(&mut self, id: &str, duration_ms: i64) -> Step {
        self.event(end(id, duration_ms))
    }

    fn heartbeat(&mut self) -> Step {
        self.event(EventKind::Heartbeat)
    }

    fn error(&mut self) -> Step {
        self.event(EventKind::Error {
            message: "microphone lost".into(),
        })
    }
}

fn quiet() -> VoiceConfig {
    VoiceConfig {
        heartbeat_timeout_ms: 1_000_000_000,
        ..VoiceConfig::default()
    }
}

fn start(id: &str, media_time: f64, video_playing: bool) -> EventKind {
    EventKind::SpeechStart {
        utterance_id: id.into(),
        media_time,
        video_playing,
    }
}

fn end(id: &str, duration_ms: i64) -> EventKind {
    EventKind::SpeechEnd {
        utterance_id: id.into(),
        duration_ms,
        reason: SpeechEndReason::NaturalEnd,
    }
}

/// The states a step went through, with their causes.
fn path(step: &Step) -> Vec<(VoiceState, &'static str)> {
    step.transitions
        .iter()
        .map(|t| (t.to, t.cause.as_str()))
        .collect()
}

fn stop_capture(reason: CaptureStopReason) -> Command {
    Command::StopCapture { reason }
}

// ---- the 5.1 table ---------------------------------------------------------------------------

#[test]
fn new_start_voice_session_observes_and_arms_idle_stop() {
    let config = VoiceConfig::default();
    let (machine, step) = VoiceMachine::new(T0, &config);
    assert_eq!(machine.state(), Observing);
    assert_eq!(
        step.transitions,
        vec![Transition {
            from: None,
            to: Observing,
            cause: Cause::Started,
            at: T0,
        }]
    );
    assert!(step.commands.is_empty());
    assert_eq!(machine.deadlines().idle_stop, Some(T0 + 180_000));
    assert_eq!(machine.deadlines().heartbeat, Some(T0 + 15_000));
    assert_eq!(machine.next_deadline(), Some(T0 + 15_000));
    assert_eq!(machine.last_applied_seq(), 0);
    assert_eq!(machine.created_at(), T0);
}

#[test]
fn observing_speech_start_records_and_pauses_a_playing_video() {
    let mut s = Session::new();
    let step = s.at(1000).event(start("u1", 42.25, true));
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Recording, "speech_start")]);
    assert_eq!(step.commands, vec![Command::PauseVideo]);
    let utterance = s.machine.utterance().cloned();
    let utterance = utterance.expect("an utterance is recording");
    assert_eq!(utterance.id, "u1");
    assert_eq!(utterance.media_time, 42.25);
    assert!(utterance.video_was_playing);
    assert!(utterance.paused_video);
    assert_eq!(utterance.started_at, T0 + 1000);
    assert_eq!(s.counters().speech_detections, 1);
    let deadlines = s.machine.deadlines();
    assert_eq!(
        deadlines.max_speech,
        Some(T0 + 1000 + 15_000 + MAX_SPEECH_GRACE_MS)
    );
    assert_eq!(deadlines.idle_stop, None);
}

#[test]
fn speech_start_pauses_only_a_playing_video_with_auto_pause_on() {
    let mut s = Session::new();
    let step = s.speech_start("u1", false);
    assert_eq!(path(&step), vec![(Recording, "speech_start")]);
    assert!(step.commands.is_empty());

    let mut s = Session::with(VoiceConfig {
        auto_pause_video: false,
        ..VoiceConfig::default()
    });
    let step = s.speech_start("u1", true);
    assert_eq!(s.state(), Recording);
    assert!(step.commands.is_empty());
    // Nothing was paused, so nothing is resumed.
    s.at(100).speech_end("u1", 50);
    s.at(5000).speech_start("u2", true);
    let step = s.at(7000).speech_end("u2", 2000);
    assert!(step.commands.is_empty());
    let step = s.at(9000).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert!(step.commands.is_empty());
}

#[test]
fn recording_speech_end_long_enough_enters_cooldown() {
    let mut s = Session::new();
    s.at(1000).speech_start("u1", true);
    let step = s.at(3000).speech_end("u1", 2000);
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Cooldown, "speech_end")]);
    assert!(step.commands.is_empty());
    let deadlines = s.machine.deadlines();
    assert_eq!(deadlines.cooldown_end, Some(T0 + 3500));
    assert_eq!(deadlines.auto_resume, Some(T0 + 3500));
    assert_eq!(deadlines.max_speech, None);
    let utterance = s.machine.utterance().cloned().expect("kept for a merge");
    assert_eq!(utterance.ended_at, Some(T0 + 3000));
    assert_eq!(utterance.duration_ms, 2000);
    assert_eq!(utterance.end_reason, Some(SpeechEndReason::NaturalEnd));
    assert_eq!(s.counters().speech_ends, 1);
}

#[test]
fn recording_speech_end_shorter_than_min_speech_returns_to_observing() {
    let mut s = Session::new();
    s.at(1000).speech_start("u1", true);
    let step = s.at(1300).speech_end("u1", 199);
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Observing, "speech_too_short")]);
    // The video resumes at once: there is no utterance to wait for.
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    assert_eq!(s.counters().ignored_short, 1);
    assert_eq!(s.counters().speech_ends, 0);
    assert_eq!(s.machine.utterance(), None);
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 1300 + 180_000));
    assert_eq!(s.machine.deadlines().auto_resume, None);
}

#[test]
fn short_speech_over_a_paused_video_resumes_nothing() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    let step = s.at(100).speech_end("u1", 100);
    assert_eq!(path(&step), vec![(Observing, "speech_too_short")]);
    assert!(step.commands.is_empty());
}

#[test]
fn min_speech_is_judged_from_the_clients_duration_not_arrival_times() {
    // Arrived five seconds apart, but the client measured 150 ms: too short.
    let mut s = Session::new();
    s.speech_start("u1", false);
    let step = s.at(5000).speech_end("u1", 150);
    assert_eq!(path(&step), vec![(Observing, "speech_too_short")]);

    // Arrived 10 ms apart, but the client measured exactly minSpeechMs: long enough.
    let mut s = Session::new();
    s.speech_start("u1", false);
    let step = s.at(10).speech_end("u1", 200);
    assert_eq!(path(&step), vec![(Cooldown, "speech_end")]);
}

#[test]
fn recording_without_speech_end_by_max_speech_and_grace_is_forced_to_cooldown() {
    let mut s = Session::quiet();
    s.at(1000).speech_start("u1", true);
    let cut = 1000 + 15_000 + MAX_SPEECH_GRACE_MS;
    let step = s.at(cut - 1).tick();
    assert!(step.is_quiet());
    assert_eq!(s.state(), Recording);
    assert_eq!(s.machine.next_deadline(), Some(T0 + cut));

    let step = s.at(cut).tick();
    assert_eq!(path(&step), vec![(Cooldown, "max_speech")]);
    assert_eq!(step.transitions[0].at, T0 + cut);
    assert_eq!(step.commands, vec![Command::StopUtterance]);
    assert_eq!(s.counters().forced_ends, 1);
    assert_eq!(s.machine.deadlines().cooldown_end, Some(T0 + cut + 500));
    assert_eq!(s.machine.deadlines().auto_resume, Some(T0 + cut + 500));

    // The client's own end, arriving after the cut, is for an utterance already over.
    let step = s.at(cut + 100).speech_end("u1", 16_000);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceEnded));
    assert_eq!(s.state(), Cooldown);

    let step = s.at(cut + 500).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
}

#[test]
fn a_forced_end_cannot_be_merged_into() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(16_000).tick();
    assert_eq!(s.state(), Cooldown);
    let step = s.at(16_100).speech_start("u2", false);
    assert_eq!(step.ignored(), Some(IgnoreReason::Cooldown));
    assert_eq!(s.counters().merged, 0);
}

#[test]
fn cooldown_timer_returns_to_observing_and_resumes_the_video_after_the_delay() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    s.at(2000).speech_end("u1", 2000);
    assert!(s.at(2499).tick().is_quiet());
    let step = s.at(2500).tick();
    // Defaults: cooldown and resume delay are both 500 ms.
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    assert_eq!(s.machine.utterance(), None);
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 2500 + 180_000));
}

#[test]
fn auto_resume_shorter_than_cooldown_resumes_during_cooldown() {
    let mut s = Session::with(VoiceConfig {
        cooldown_ms: 800,
        auto_resume_delay_ms: 200,
        ..VoiceConfig::default()
    });
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1200).tick();
    assert!(step.transitions.is_empty());
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    assert_eq!(s.state(), Cooldown);
    let step = s.at(1800).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert!(step.commands.is_empty());
}

#[test]
fn auto_resume_longer_than_cooldown_resumes_in_observing() {
    let mut s = Session::with(VoiceConfig {
        cooldown_ms: 500,
        auto_resume_delay_ms: 2000,
        ..VoiceConfig::default()
    });
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1500).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert!(step.commands.is_empty());
    let step = s.at(3000).tick();
    assert!(step.transitions.is_empty());
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    assert_eq!(s.machine.next_deadline(), s.machine.deadlines().heartbeat);
}

#[test]
fn no_resume_after_cooldown_when_the_video_was_not_playing() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    assert_eq!(s.machine.deadlines().auto_resume, None);
    let step = s.at(1500).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert!(step.commands.is_empty());
}

#[test]
fn a_new_utterance_cancels_the_pending_resume_and_takes_it_over() {
    let mut s = Session::with(VoiceConfig {
        auto_resume_delay_ms: 3000,
        ..VoiceConfig::default()
    });
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    s.at(1500).tick();
    assert_eq!(s.state(), Observing);
    // Speech again before the resume: the video is still paused, as the client reports.
    let step = s.at(2000).speech_start("u2", false);
    assert_eq!(path(&step), vec![(Recording, "speech_start")]);
    assert!(step.commands.is_empty());
    assert_eq!(s.machine.deadlines().auto_resume, None);
    assert!(s.at(4000).tick().is_quiet());
    s.at(5000).speech_end("u2", 3000);
    assert_eq!(s.machine.deadlines().auto_resume, Some(T0 + 8000));
    let step = s.at(8000).tick();
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
}

#[test]
fn a_merge_after_the_video_resumed_owes_no_second_resume() {
    let mut s = Session::with(VoiceConfig {
        auto_resume_delay_ms: 100,
        ..VoiceConfig::default()
    });
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1100).tick();
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    // Within the merge window, but the video already plays again: no pause, and no resume.
    let step = s.at(1200).speech_start("u2", true);
    assert_eq!(path(&step), vec![(Recording, "speech_merged")]);
    assert!(step.commands.is_empty());
    s.at(2000).speech_end("u2", 800);
    assert_eq!(s.machine.deadlines().auto_resume, None);
    let step = s.at(2500).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert!(step.commands.is_empty());
}

#[test]
fn cooldown_speech_start_is_ignored_and_counted() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1300).speech_start("u2", false);
    assert_eq!(step.outcome, Outcome::Ignored(IgnoreReason::Cooldown));
    assert!(step.is_quiet());
    assert_eq!(s.state(), Cooldown);
    assert_eq!(s.counters().ignored_cooldown, 1);
    assert_eq!(s.machine.last_applied_seq(), 3);
    // The ignored speech does not cancel the resume owed for u1.
    let step = s.at(1500).tick();
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
}

#[test]
fn cooldown_speech_start_within_merge_window_continues_the_utterance() {
    let mut s = Session::new();
    s.at(1000).event(start("u1", 30.0, true));
    s.at(3000).speech_end("u1", 2000);
    let step = s.at(3250).event(start("u2", 32.5, false));
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Recording, "speech_merged")]);
    assert!(step.commands.is_empty(), "no second PAUSE_VIDEO");
    assert_eq!(s.counters().merged, 1);
    assert_eq!(s.counters().speech_detections, 1);
    let utterance = s.machine.utterance().cloned().expect("recording");
    assert_eq!(utterance.id, "u2");
    assert_eq!(utterance.media_time, 30.0);
    assert_eq!(utterance.started_at, T0 + 1000);
    assert_eq!(utterance.segments, 2);
    assert!(utterance.paused_video);
    let deadlines = s.machine.deadlines();
    assert_eq!(deadlines.cooldown_end, None);
    assert_eq!(deadlines.auto_resume, None);
    assert_eq!(deadlines.max_speech, Some(T0 + 3250 + 16_000));

    // A short tail still ends a long utterance: minSpeechMs applies to the total.
    let step = s.at(3400).speech_end("u2", 100);
    assert_eq!(path(&step), vec![(Cooldown, "speech_end")]);
    assert_eq!(s.machine.utterance().map(|u| u.duration_ms), Some(2100));
    let step = s.at(3900).tick();
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
}

#[test]
fn merge_window_is_inclusive_and_measured_on_the_clients_clock() {
    // Both starts arrive 400 ms after the end, but the client says 250 ms and 251 ms.
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1400).event_at(T0 + 1250, start("u2", 1.0, false));
    assert_eq!(path(&step), vec![(Recording, "speech_merged")]);

    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1400).event_at(T0 + 1251, start("u2", 1.0, false));
    assert_eq!(step.ignored(), Some(IgnoreReason::Cooldown));
}

#[test]
fn merge_may_repeat_the_utterance_id() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    let step = s.at(1100).speech_start("u1", false);
    assert_eq!(path(&step), vec![(Recording, "speech_merged")]);
    let step = s.at(2000).speech_end("u1", 900);
    assert_eq!(path(&step), vec![(Cooldown, "speech_end")]);
    // Outside the merge window the same id is a reuse.
    let step = s.at(2400).speech_start("u1", false);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceReused));
}

#[test]
fn a_start_after_the_cooldown_on_the_clients_clock_begins_a_new_utterance() {
    // A replay: the end and the next start arrive together, three seconds apart on the client.
    let mut s = Session::new();
    s.speech_start("u1", true);
    s.at(10_000).event_at(T0 + 2000, end("u1", 2000));
    let step = s.event_at(T0 + 5000, start("u2", 20.0, false));
    assert_eq!(
        path(&step),
        vec![(Observing, "cooldown_elapsed"), (Recording, "speech_start")]
    );
    assert_eq!(s.counters().speech_detections, 2);
    assert_eq!(s.counters().ignored_cooldown, 0);
    // u2 took over the resume owed for u1.
    assert_eq!(s.machine.utterance().map(|u| u.paused_video), Some(true));
}

#[test]
fn observing_idle_stop_timer_stops_capture_and_goes_idle() {
    let mut s = Session::quiet();
    assert!(s.at(179_999).tick().is_quiet());
    let step = s.at(180_000).tick();
    assert_eq!(path(&step), vec![(Idle, "idle_stop")]);
    assert_eq!(
        step.commands,
        vec![stop_capture(CaptureStopReason::NoSpeechTimeout)]
    );
    assert_eq!(s.machine.deadlines().idle_stop, None);
}

#[test]
fn heartbeats_do_not_reset_idle_stop_but_speech_does() {
    let mut s = Session::new();
    for second in (10..=170).step_by(10) {
        s.at(second * 1000).heartbeat();
    }
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 180_000));
    let step = s.at(180_000).heartbeat();
    assert_eq!(path(&step), vec![(Idle, "idle_stop")]);

    let mut s = Session::quiet();
    s.at(100_000).speech_start("u1", false);
    s.at(101_000).speech_end("u1", 1000);
    s.at(101_500).tick();
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 281_500));
}

#[test]
fn idle_start_voice_session_resumes_observing() {
    let mut s = Session::quiet();
    s.at(180_000).tick();
    assert_eq!(s.state(), Idle);
    let step = s.at(200_000).send(Input::Start);
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Observing, "started")]);
    assert!(step.commands.is_empty());
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 380_000));
}

#[test]
fn speech_events_in_idle_are_ignored_and_heartbeats_applied() {
    let mut s = Session::quiet();
    s.at(180_000).tick();
    let step = s.speech_start("u1", true);
    assert_eq!(step.outcome, Outcome::Ignored(IgnoreReason::Idle));
    assert!(step.is_quiet());
    let step = s.speech_end("u1", 1000);
    assert_eq!(step.outcome, Outcome::Ignored(IgnoreReason::Idle));
    assert_eq!(s.counters().ignored_idle, 2);
    let step = s.heartbeat();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(s.state(), Idle);
    assert_eq!(s.counters().heartbeats, 1);
    // The heartbeat keeps the idle session connected.
    let timeout = s.config.heartbeat_timeout_ms;
    assert_eq!(
        s.machine.deadlines().heartbeat,
        Some(T0 + 180_000 + timeout)
    );
}

#[test]
fn any_live_error_restarts_capture_with_backoff_until_the_next_heartbeat() {
    let mut s = Session::new();
    let step = s.at(1000).error();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(path(&step), vec![(Error, "error")]);
    assert_eq!(
        step.commands,
        vec![Command::RestartCapture { backoff_ms: 500 }]
    );
    assert_eq!(s.counters().errors, 1);

    // A heartbeat sent before the restart could happen says nothing about the new capture.
    let step = s.at(1200).heartbeat();
    assert_eq!(step.outcome, Outcome::Applied);
    assert!(step.is_quiet());
    assert_eq!(s.state(), Error);

    let step = s.at(1500).heartbeat();
    assert_eq!(path(&step), vec![(Observing, "restart_recovered")]);
    assert_eq!(s.counters().restarts, 1);
    // Neither the error nor the restart was speech: idle stop kept its time.
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 180_000));
}

#[test]
fn errors_from_every_connected_state_enter_error() {
    let mut s = Session::quiet();
    s.at(180_000).tick();
    assert_eq!(s.state(), Idle);
    assert_eq!(path(&s.error()), vec![(Error, "error")]);

    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    assert_eq!(s.state(), Cooldown);
    assert_eq!(path(&s.error()), vec![(Error, "error")]);
    assert_eq!(s.machine.utterance(), None);
    assert_eq!(s.machine.deadlines().cooldown_end, None);
}

#[test]
fn restart_backoff_doubles_up_to_8_seconds() {
    let backoffs: Vec<Millis> = (1..=7).map(restart_backoff_ms).collect();
    assert_eq!(backoffs, vec![500, 1000, 2000, 4000, 8000, 8000, 8000]);

    let mut s = Session::quiet();
    s.config.max_restarts = 10;
    let mut seen = Vec::new();
    for i in 0..6 {
        let step = s.at(i * 100).error();
        // A further error during a restart re-enters error, so the log shows it.
        assert_eq!(path(&step), vec![(Error, "error")]);
        seen.extend(step.commands);
    }
    let expected: Vec<Command> = [500, 1000, 2000, 4000, 8000, 8000]
        .into_iter()
        .map(|backoff_ms| Command::RestartCapture { backoff_ms })
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_error_after_max_restarts_within_the_window_opens_the_circuit() {
    let mut s = Session::quiet();
    for i in 1..=3 {
        s.at(i * 10_000).error();
        s.at(i * 10_000 + 5000).heartbeat();
        assert_eq!(s.state(), Observing, "restart {i}");
    }
    // The fourth within 60 s.
    let step = s.at(40_000).error();
    assert_eq!(path(&step), vec![(Error, "circuit_open")]);
    assert_eq!(
        step.commands,
        vec![stop_capture(CaptureStopReason::CircuitOpen)]
    );
    assert!(s.machine.circuit_open());

    // An open circuit stays open: heartbeats and further errors change nothing.
    let step = s.at(50_000).heartbeat();
    assert!(step.is_quiet());
    let step = s.error();
    assert!(step.is_quiet());
    assert_eq!(s.state(), Error);
    assert_eq!(s.counters().errors, 5);
    assert_eq!(s.counters().restarts, 3);

    // Only the user closes it.
    let step = s.at(55_000).send(Input::Start);
    assert_eq!(path(&step), vec![(Observing, "started")]);
    assert!(!s.machine.circuit_open());
    let step = s.error();
    assert_eq!(
        step.commands,
        vec![Command::RestartCapture { backoff_ms: 500 }]
    );
}

#[test]
fn max_restarts_zero_opens_the_circuit_on_the_first_error() {
    let mut s = Session::with(VoiceConfig {
        max_restarts: 0,
        ..VoiceConfig::default()
    });
    let step = s.error();
    assert_eq!(path(&step), vec![(Error, "circuit_open")]);
}

#[test]
fn errors_outside_the_restart_window_do_not_count() {
    let mut s = Session::quiet();
    for at in [0, 1000, 2000] {
        s.at(at).error();
    }
    // 61 s after the first: the first two are 60 s or more before it and fall out.
    let step = s.at(61_000).error();
    assert_eq!(path(&step), vec![(Error, "error")]);
    assert_eq!(
        step.commands,
        vec![Command::RestartCapture { backoff_ms: 1000 }]
    );
}

#[test]
fn errors_are_counted_on_the_clients_clock() {
    // Four errors replayed together, a window apart on the client: none within the window.
    let mut s = Session::with(VoiceConfig {
        restart_window_ms: 10_000,
        ..quiet()
    });
    s.at(30_000);
    for i in 0..4 {
        let step = s.event_at(
            T0 + i * 10_000,
            EventKind::Error {
                message: "x".into(),
            },
        );
        assert_eq!(
            step.commands,
            vec![Command::RestartCapture { backoff_ms: 500 }]
        );
    }
    assert!(!s.machine.circuit_open());
}

#[test]
fn an_error_while_recording_ends_the_utterance() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let step = s.at(1000).error();
    assert_eq!(path(&step), vec![(Error, "error")]);
    assert_eq!(
        step.commands,
        vec![
            Command::StopUtterance,
            Command::RestartCapture { backoff_ms: 500 }
        ]
    );
    assert_eq!(s.counters().forced_ends, 1);
    assert_eq!(s.machine.utterance(), None);
    assert_eq!(s.machine.deadlines().max_speech, None);
    // The video comes back after the usual delay, even in error.
    let step = s.at(1500).tick();
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
    let step = s.speech_end("u1", 1000);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceEnded));
}

#[test]
fn speech_in_error_is_ignored() {
    let mut s = Session::new();
    s.error();
    let step = s.speech_start("u1", true);
    assert_eq!(step.ignored(), Some(IgnoreReason::CaptureError));
    assert!(step.is_quiet());
    let step = s.speech_end("u0", 1000);
    assert_eq!(step.ignored(), Some(IgnoreReason::NoUtterance));
}

#[test]
fn any_live_state_without_events_for_heartbeat_timeout_disconnects() {
    let mut s = Session::new();
    s.at(10_000).heartbeat();
    assert!(s.at(24_999).tick().is_quiet());
    let step = s.at(25_000).tick();
    assert_eq!(path(&step), vec![(Disconnected, "heartbeat_timeout")]);
    assert!(step.commands.is_empty());
    assert_eq!(s.machine.resume_to(), Some(Observing));
    assert_eq!(s.machine.deadlines().session_ttl, Some(T0 + 625_000));
    assert_eq!(s.machine.next_deadline(), Some(T0 + 625_000));
    assert_eq!(s.counters().disconnects, 1);
}

#[test]
fn any_live_state_with_its_socket_closed_disconnects() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let step = s.at(2000).send(Input::SocketClosed);
    assert_eq!(path(&step), vec![(Disconnected, "socket_closed")]);
    assert_eq!(s.machine.resume_to(), Some(Recording));
    assert_eq!(s.machine.deadlines().session_ttl, Some(T0 + 602_000));
    // A second close is nothing new.
    assert!(s.send(Input::SocketClosed).is_quiet());
}

#[test]
fn every_event_taken_pushes_the_heartbeat_deadline() {
    let mut s = Session::new();
    let kinds = [
        EventKind::Heartbeat,
        start("u1", 1.0, false),
        start("u2", 1.0, false), // ignored: already recording
        end("u1", 1000),
        EventKind::Error {
            message: "x".into(),
        },
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        let at = (i as Millis + 1) * 10_000;
        s.at(at).event(kind);
        assert_eq!(s.machine.deadlines().heartbeat, Some(T0 + at + 15_000));
        assert_eq!(s.machine.last_event_at(), Some(T0 + at));
    }
    // A duplicate does not.
    let duplicate = VoiceEvent {
        seq: 1,
        occurred_at: T0,
        kind: EventKind::Heartbeat,
    };
    s.at(60_000).send(Input::Event(duplicate));
    assert_eq!(s.machine.deadlines().heartbeat, Some(T0 + 65_000));
}

#[test]
fn disconnected_resume_goes_through_reconnecting_to_the_previous_state() {
    let mut s = Session::new();
    s.at(1000).send(Input::SocketClosed);
    let step = s.at(5000).send(Input::Resume);
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(
        step.transitions,
        vec![
            Transition {
                from: Some(Disconnected),
                to: VoiceState::Reconnecting,
                cause: Cause::ResumeRequested,
                at: T0 + 5000,
            },
            Transition {
                from: Some(VoiceState::Reconnecting),
                to: Observing,
                cause: Cause::Resumed,
                at: T0 + 5000,
            },
        ]
    );
    assert_eq!(s.machine.resume_to(), None);
    assert_eq!(s.machine.deadlines().session_ttl, None);
    assert_eq!(s.machine.deadlines().heartbeat, Some(T0 + 20_000));
    // The idle count froze for the four seconds away.
    assert_eq!(s.machine.deadlines().idle_stop, Some(T0 + 184_000));
}

#[test]
fn a_recording_cut_by_a_disconnect_resumes_and_ends_by_its_replayed_speech_end() {
    let mut s = Session::new();
    s.at(1000).speech_start("u1", true);
    s.at(2000).send(Input::SocketClosed);
    // Far past max speech on the server's clock; the timer is frozen.
    assert!(s.at(30_000).tick().is_quiet());
    assert_eq!(s.state(), Disconnected);
    let step = s.send(Input::Resume);
    assert_eq!(path(&step).last(), Some(&(Recording, "resumed")));
    // 15 s of the 16 s left when the socket closed.
    assert_eq!(s.machine.deadlines().max_speech, Some(T0 + 30_000 + 15_000));
    let step = s.event_at(T0 + 4000, end("u1", 3000));
    assert_eq!(path(&step), vec![(Cooldown, "speech_end")]);
}

#[test]
fn a_recording_resumed_without_its_end_is_still_cut_by_max_speech() {
    let mut s = Session::quiet();
    s.at(1000).speech_start("u1", false);
    s.at(2000).send(Input::SocketClosed);
    s.at(100_000).send(Input::Resume);
    let step = s.at(100_000 + 15_000).tick();
    assert_eq!(path(&step), vec![(Cooldown, "max_speech")]);
    assert_eq!(step.commands, vec![Command::StopUtterance]);
}

#[test]
fn timers_other_than_the_ttl_freeze_while_disconnected() {
    let mut s = Session::with(VoiceConfig {
        cooldown_ms: 1000,
        auto_resume_delay_ms: 2000,
        ..VoiceConfig::default()
    });
    s.speech_start("u1", true);
    s.at(1000).speech_end("u1", 1000);
    s.at(1400).send(Input::SocketClosed);
    assert_eq!(s.machine.next_deadline(), Some(T0 + 601_400));
    assert!(s.at(500_000).tick().is_quiet());
    s.send(Input::Resume);
    assert_eq!(s.state(), Cooldown);
    assert_eq!(s.machine.deadlines().cooldown_end, Some(T0 + 500_600));
    assert_eq!(s.machine.deadlines().auto_resume, Some(T0 + 501_600));
    let step = s.at(501_600).tick();
    assert_eq!(path(&step), vec![(Observing, "cooldown_elapsed")]);
    assert_eq!(step.commands, vec![Command::ResumeVideo]);
}

#[test]
fn disconnected_session_closes_when_its_ttl_passes() {
    let mut s = Session::new();
    s.at(1000).send(Input::SocketClosed);
    assert!(s.at(600_999).tick().is_quiet());
    let step = s.at(601_000).tick();
    assert_eq!(path(&step), vec![(Closed, "session_ttl_expired")]);
    // No client to hear a command.
    assert!(step.commands.is_empty());
    assert_eq!(s.machine.end_reason(), Some(StopReason::SessionTtlExpired));
    assert_eq!(s.machine.next_deadline(), None);
}

#[test]
fn a_ttl_close_mid_utterance_counts_a_forced_end() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    s.at(1000).send(Input::SocketClosed);
    s.at(601_000).tick();
    assert_eq!(s.state(), Closed);
    let counters = s.counters();
    assert_eq!(counters.speech_detections, 1);
    assert_eq!(counters.forced_ends, 1);
}

#[test]
fn any_state_stop_voice_session_closes_with_stop_capture() {
    type Setup = fn(&mut Session);
    let setups: [(&str, Setup); 7] = [
        ("observing", |_| {}),
        ("recording", |s| {
            s.speech_start("u1", false);
        }),
        ("cooldown", |s| {
            s.speech_start("u1", false);
            s.at(1000).speech_end("u1", 1000);
        }),
        ("idle", |s| {
            s.at(180_000).heartbeat();
        }),
        ("error", |s| {
            s.error();
        }),
        ("disconnected", |s| {
            s.send(Input::SocketClosed);
        }),
        ("closed", |s| {
            s.send(Input::Stop {
                reason: StopReason::UserStopped,
            });
        }),
    ];
    for (name, setup) in setups {
        let mut s = Session::quiet();
        setup(&mut s);
        assert_eq!(s.state().as_str(), name);
        let was_closed = s.state() == Closed;
        let later = s.now - T0 + 1;
        let step = s.at(later).send(Input::Stop {
            reason: StopReason::UserStopped,
        });
        assert_eq!(s.state(), Closed, "{name}");
        if was_closed {
            assert!(step.is_quiet(), "{name}");
            continue;
        }
        assert_eq!(path(&step), vec![(Closed, "user_stopped")], "{name}");
        assert_eq!(
            step.commands.last(),
            Some(&stop_capture(CaptureStopReason::SessionClosed(
                StopReason::UserStopped
            ))),
            "{name}"
        );
        assert_eq!(s.machine.end_reason(), Some(StopReason::UserStopped));
        assert_eq!(s.machine.next_deadline(), None, "{name}");
    }
}

#[test]
fn a_stop_while_recording_ends_the_utterance_first() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let step = s.at(500).send(Input::Stop {
        reason: StopReason::ContextMoved,
    });
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(
        step.commands,
        vec![
            Command::StopUtterance,
            stop_capture(CaptureStopReason::SessionClosed(StopReason::ContextMoved)),
        ]
    );
    assert_eq!(s.counters().forced_ends, 1);
}

// ---- stopping after the utterance in flight, and notes ------------------------------------

fn stop_after_utterance() -> Input {
    Input::StopAfterUtterance {
        reason: StopReason::ContextMoved,
    }
}

fn note(id: &str, kept: bool) -> Input {
    Input::NoteRecorded {
        utterance_id: Some(id.into()),
        kept,
    }
}

const MOVED: CaptureStopReason = CaptureStopReason::SessionClosed(StopReason::ContextMoved);

#[test]
fn a_stop_after_utterance_with_nothing_in_flight_closes_at_once() {
    let mut s = Session::new();
    let step = s.at(500).send(stop_after_utterance());
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(step.commands, vec![stop_capture(MOVED)]);
}

#[test]
fn a_stop_while_recording_waits_for_the_end_then_the_note() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    let waiting = s.at(500).send(stop_after_utterance());
    assert!(waiting.is_quiet());
    assert_eq!(s.machine.pending_stop(), Some(StopReason::ContextMoved));
    assert_eq!(
        s.machine.deadlines().stop_grace,
        Some(T0 + 500 + TRANSCRIPT_GRACE_MS)
    );

    let ended = s.at(1500).speech_end("u1", 1500);
    assert_eq!(path(&ended), vec![(Cooldown, "speech_end")]);
    // Another utterance's note changes nothing but the count.
    assert!(s.at(1600).send(note("u0", true)).is_quiet());
    assert_eq!(s.state(), Cooldown);

    let step = s.at(1800).send(note("u1", true));
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(step.commands, vec![stop_capture(MOVED)]);
    assert_eq!(s.counters().notes_created, 2);
    assert_eq!(
        s.counters().forced_ends,
        0,
        "the utterance ended on its own"
    );
}

#[test]
fn no_speech_is_taken_while_a_stop_waits_not_even_a_merge() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    s.at(1050).send(stop_after_utterance());
    let before = s.counters();
    let merge = s.at(1100).speech_start("u2", false);
    assert_eq!(merge.ignored(), Some(IgnoreReason::Stopping));
    assert_eq!(s.counters(), before);
    assert_eq!(IgnoreReason::Stopping.as_str(), "stopping");
    // The session still ends its cooldown and still takes heartbeats.
    s.at(1600).tick();
    assert_eq!(s.state(), Observing);
    assert_eq!(s.heartbeat().outcome, Outcome::Applied);
}

#[test]
fn the_grace_closes_a_stop_whose_transcript_never_comes() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    s.at(4000).send(stop_after_utterance());
    // Counted from the utterance's end, which is sooner than from the request.
    let deadline = 1000 + TRANSCRIPT_GRACE_MS;
    assert_eq!(s.machine.next_deadline(), Some(T0 + deadline));
    assert!(s.at(deadline - 1).tick().is_quiet());
    let step = s.at(deadline).tick();
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(step.commands, vec![stop_capture(MOVED)]);
}

#[test]
fn the_grace_runs_while_disconnected_and_cuts_a_recording_short() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(100).send(stop_after_utterance());
    s.at(200).send(Input::SocketClosed);
    assert_eq!(s.state(), Disconnected);
    let step = s.at(100 + TRANSCRIPT_GRACE_MS).tick();
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(
        step.commands,
        vec![Command::StopUtterance, stop_capture(MOVED)]
    );
    assert_eq!(s.counters().forced_ends, 1);
}

#[test]
fn a_short_speech_while_a_stop_waits_leaves_nothing_in_flight_and_closes() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(50).send(stop_after_utterance());
    let step = s.at(100).speech_end("u1", 100);
    assert_eq!(
        path(&step),
        vec![(Observing, "speech_too_short"), (Closed, "context_moved")]
    );
}

#[test]
fn a_forced_end_is_awaited_like_a_speech_end() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(15_000 + MAX_SPEECH_GRACE_MS).tick();
    assert_eq!(
        s.machine
            .awaited_transcript()
            .map(|a| a.utterance_id.as_str()),
        Some("u1")
    );
    s.at(17_000).send(stop_after_utterance());
    assert_eq!(s.machine.pending_stop(), Some(StopReason::ContextMoved));
    let step = s.at(17_500).send(note("u1", false));
    assert_eq!(path(&step), vec![(Closed, "context_moved")]);
    assert_eq!(
        s.counters().notes_created,
        0,
        "a suppressed note is not counted"
    );
}

#[test]
fn an_utterance_older_than_the_grace_is_not_in_flight() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    assert!(
        s.machine
            .utterance_in_flight(T0 + 1000 + TRANSCRIPT_GRACE_MS - 1)
    );
    assert!(
        !s.machine
            .utterance_in_flight(T0 + 1000 + TRANSCRIPT_GRACE_MS)
    );
    let step = s
        .at(1000 + TRANSCRIPT_GRACE_MS)
        .send(stop_after_utterance());
    assert_eq!(path(&step).last(), Some(&(Closed, "context_moved")));
}

#[test]
fn a_second_stop_request_keeps_the_first_deadline_and_a_plain_stop_wins() {
    let mut s = Session::quiet();
    s.speech_start("u1", false);
    s.at(100).send(stop_after_utterance());
    s.at(5000).send(stop_after_utterance());
    assert_eq!(
        s.machine.deadlines().stop_grace,
        Some(T0 + 100 + TRANSCRIPT_GRACE_MS)
    );
    let step = s.at(6000).send(Input::Stop {
        reason: StopReason::UserStopped,
    });
    assert_eq!(path(&step), vec![(Closed, "user_stopped")]);
    assert_eq!(s.machine.pending_stop(), None);
}

#[test]
fn notes_are_counted_in_every_live_state_and_persisted() {
    let mut s = Session::new();
    s.send(note("u1", true));
    s.send(Input::NoteRecorded {
        utterance_id: None,
        kept: true,
    });
    s.send(note("u2", false));
    s.send(Input::SocketClosed);
    s.send(note("u3", true));
    assert_eq!(s.counters().notes_created, 3);
    let json = serde_json::to_value(&s.machine).expect("serializes");
    assert_eq!(json["counters"]["notesCreated"], 3);
}

#[test]
fn snapshots_from_before_notes_and_stops_still_load() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    let mut json = serde_json::to_value(&s.machine).expect("serializes");
    let object = json.as_object_mut().unwrap();
    object.remove("awaitedTranscript");
    object.remove("pendingStop");
    json["counters"]
        .as_object_mut()
        .unwrap()
        .remove("notesCreated");
    json["deadlines"]
        .as_object_mut()
        .unwrap()
        .remove("stopGrace");
    let old: VoiceMachine = serde_json::from_value(json).expect("an old snapshot loads");
    assert_eq!(old, s.machine);
}

#[test]
fn a_closed_session_never_changes() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    s.send(Input::Stop {
        reason: StopReason::UserStopped,
    });
    let closed = s.machine.clone();
    let inputs = [
        Input::Tick,
        Input::Start,
        Input::Resume,
        Input::SocketClosed,
        Input::ResetRequested,
        Input::Stop {
            reason: StopReason::ContextMoved,
        },
        Input::Event(VoiceEvent {
            seq: 2,
            occurred_at: T0,
            kind: EventKind::Heartbeat,
        }),
        Input::Event(VoiceEvent {
            seq: 99,
            occurred_at: T0,
            kind: start("u9", 1.0, true),
        }),
    ];
    for input in inputs {
        let (after, step) = closed.step(&input, T0 + 10_000_000, &s.config);
        assert_eq!(after, closed, "{input:?}");
        assert!(step.is_quiet(), "{input:?}");
        let expected = match input {
            Input::Event(_) => Outcome::Ignored(IgnoreReason::Closed),
            _ => Outcome::Applied,
        };
        assert_eq!(step.outcome, expected);
    }
    let (after, step) = closed.clone().restored_after_restart(T0 + 1, &s.config);
    assert_eq!(after, closed);
    assert!(step.is_quiet());
}

// ---- guards and ignored events ---------------------------------------------------------------

#[test]
fn speech_end_without_an_utterance_is_ignored() {
    let mut s = Session::new();
    let step = s.speech_end("u1", 1000);
    assert_eq!(step.outcome, Outcome::Ignored(IgnoreReason::NoUtterance));
    assert!(step.is_quiet());
    assert_eq!(s.state(), Observing);
}

#[test]
fn speech_end_for_another_utterance_is_a_mismatch() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let step = s.speech_end("u2", 1000);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceMismatch));
    assert_eq!(s.state(), Recording);
}

#[test]
fn speech_end_for_an_ended_utterance_is_ignored() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(1000).speech_end("u1", 1000);
    let step = s.speech_end("u1", 1000);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceEnded));
    assert_eq!(s.counters().speech_ends, 1);
}

#[test]
fn speech_start_reusing_an_ended_id_is_ignored() {
    let mut s = Session::new();
    s.speech_start("u1", false);
    s.at(100).speech_end("u1", 50);
    assert_eq!(s.state(), Observing);
    let step = s.at(200).speech_start("u1", false);
    assert_eq!(step.ignored(), Some(IgnoreReason::UtteranceReused));
    assert_eq!(s.state(), Observing);
    assert_eq!(s.counters().speech_detections, 1);
}

#[test]
fn speech_start_while_recording_is_ignored() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    for id in ["u2", "u1"] {
        let step = s.speech_start(id, true);
        assert_eq!(step.ignored(), Some(IgnoreReason::AlreadyRecording));
        assert!(step.is_quiet());
    }
    assert_eq!(s.machine.utterance().map(|u| u.id.as_str()), Some("u1"));
}

#[test]
fn events_from_the_future_are_ignored() {
    let mut s = Session::new();
    let step = s.event_at(T0 + MAX_CLOCK_AHEAD_MS, start("u1", 1.0, false));
    assert_eq!(step.outcome, Outcome::Applied);
    let step = s.event_at(T0 + MAX_CLOCK_AHEAD_MS + 1, end("u1", 1000));
    assert_eq!(step.ignored(), Some(IgnoreReason::FutureTimestamp));
    assert_eq!(s.state(), Recording);
    assert_eq!(s.machine.last_applied_seq(), 2);
}

#[test]
fn invalid_values_are_ignored() {
    let mut s = Session::new();
    for media_time in [-0.5, f64::NAN, f64::INFINITY] {
        let step = s.event(start("u1", media_time, true));
        assert_eq!(step.ignored(), Some(IgnoreReason::InvalidValue));
        assert!(step.is_quiet());
    }
    let step = s.event(start("", 1.0, true));
    assert_eq!(step.ignored(), Some(IgnoreReason::InvalidValue));
    s.speech_start("u1", true);
    let step = s.speech_end("u1", -1);
    assert_eq!(step.ignored(), Some(IgnoreReason::InvalidValue));
    assert_eq!(s.state(), Recording);
    assert_eq!(s.machine.last_applied_seq(), 6);
}

// ---- sequencing ------------------------------------------------------------------------------

#[test]
fn a_replayed_seq_is_a_duplicate_with_no_effect() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let before = s.machine.clone();
    for seq in [1, 0, -3] {
        let event = VoiceEvent {
            seq,
            occurred_at: T0,
            kind: end("u1", 1000),
        };
        let step = s.at(100).send(Input::Event(event));
        assert_eq!(step.outcome, Outcome::Duplicate);
        assert!(step.is_quiet());
        assert_eq!(s.machine, before);
    }
}

#[test]
fn a_gap_answers_reset_and_changes_nothing_but_the_reset_counter() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let before = s.machine.clone();
    let event = VoiceEvent {
        seq: 3,
        occurred_at: T0,
        kind: end("u1", 1000),
    };
    let step = s.at(100).send(Input::Event(event));
    assert_eq!(step.outcome, Outcome::Reset(ResetReason::Gap));
    assert_eq!(step.outcome.reason(), Some("gap"));
    assert!(step.transitions.is_empty());
    assert_eq!(step.commands, vec![Command::ResetSession]);
    assert_eq!(s.machine.last_applied_seq(), 1);
    assert_eq!(s.counters().resets, 1);
    let mut expected = before;
    expected.counters.resets = 1;
    assert_eq!(s.machine, expected);
}

#[test]
fn ignored_events_advance_the_seq_and_resets_do_not() {
    let mut s = Session::new();
    let step = s.speech_end("nobody", 10);
    assert!(step.outcome.advances_seq());
    assert_eq!(s.machine.last_applied_seq(), 1);
    let gap = VoiceEvent {
        seq: 5,
        occurred_at: T0,
        kind: EventKind::Heartbeat,
    };
    let step = s.send(Input::Event(gap));
    assert!(!step.outcome.advances_seq());
    assert_eq!(s.machine.last_applied_seq(), 1);
    // The client adopts the snapshot and goes on from appliedSeq + 1.
    assert_eq!(s.heartbeat().outcome, Outcome::Applied);
    assert_eq!(s.machine.last_applied_seq(), 2);
}

#[test]
fn an_event_while_disconnected_answers_reset() {
    let mut s = Session::new();
    s.send(Input::SocketClosed);
    let step = s.heartbeat();
    assert_eq!(step.outcome, Outcome::Reset(ResetReason::Disconnected));
    assert_eq!(step.commands, vec![Command::ResetSession]);
    assert_eq!(s.machine.last_applied_seq(), 0);
    assert_eq!(s.state(), Disconnected);
}

#[test]
fn a_requested_reset_pushes_reset_session_and_changes_nothing_else() {
    let mut s = Session::new();
    let before = s.machine.clone();
    let step = s.send(Input::ResetRequested);
    assert_eq!(step.outcome, Outcome::Reset(ResetReason::Requested));
    assert_eq!(step.commands, vec![Command::ResetSession]);
    let mut expected = before;
    expected.counters.resets = 1;
    assert_eq!(s.machine, expected);
}

#[test]
fn an_event_after_a_missed_heartbeat_deadline_finds_the_session_disconnected() {
    // A runtime that had not ticked yet answers as a punctual one would have.
    let mut s = Session::new();
    let step = s.at(15_000).heartbeat();
    assert_eq!(path(&step), vec![(Disconnected, "heartbeat_timeout")]);
    assert_eq!(step.outcome, Outcome::Reset(ResetReason::Disconnected));
}

// ---- timers in general -----------------------------------------------------------------------

#[test]
fn a_tick_before_any_deadline_changes_nothing() {
    let mut s = Session::new();
    s.speech_start("u1", true);
    let before = s.machine.clone();
    let step = s.at(100).tick();
    assert!(step.is_quiet());
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(s.machine, before);
}

#[test]
fn a_late_tick_fires_every_due_timer_in_time_order() {
    let mut s = Session::with(VoiceConfig {
        auto_resume_delay_ms: 800,
        ..quiet()
    });
    s.speech_start("u1", true);
    let step = s.at(100_000).tick();
    let cut = T0 + 16_000;
    let at: Vec<(VoiceState, Millis)> = step.transitions.iter().map(|t| (t.to, t.at)).collect();
    assert_eq!(at, vec![(Cooldown, cut), (Observing, cut + 500)]);
    assert_eq!(
        step.commands,
        vec![Command::StopUtterance, Command::ResumeVideo]
    );
    assert_eq!(s.machine.deadlines().idle_stop, Some(cut + 500 + 180_000));
}

// ---- restarts --------------------------------------------------------------------------------

#[test]
fn a_live_session_restored_after_a_restart_waits_disconnected() {
    let mut s = Session::new();
    s.at(1000).speech_start("u1", true);
    let snapshot = serde_json::to_string(&s.machine).expect("serializes");
    let restored: VoiceMachine = serde_json::from_str(&snapshot).expect("deserializes");
    let (machine, step) = restored.restored_after_restart(T0 + 60_000, &s.config);
    assert_eq!(path(&step), vec![(Disconnected, "server_restarted")]);
    assert!(step.commands.is_empty());
    assert_eq!(machine.resume_to(), Some(Recording));
    // The TTL counts from when the client was last heard.
    assert_eq!(machine.deadlines().session_ttl, Some(T0 + 601_000));
    assert_eq!(machine.counters().disconnects, 1);

    s.machine = machine;
    s.at(70_000).send(Input::Resume);
    assert_eq!(s.state(), Recording);
    // Frozen since the last contact: the whole max speech is left.
    assert_eq!(s.machine.deadlines().max_speech, Some(T0 + 70_000 + 16_000));
}

#[test]
fn a_session_restored_past_its_ttl_closes_as_server_restart_expired() {
    let mut s = Session::new();
    s.at(1000).speech_start("u1", true);
    let (machine, step) = s
        .machine
        .clone()
        .restored_after_restart(T0 + 601_000, &s.config);
    assert_eq!(path(&step), vec![(Closed, "server_restart_expired")]);
    assert!(step.commands.is_empty());
    assert_eq!(machine.end_reason(), Some(StopReason::ServerRestartExpired));
    assert_eq!(machine.counters().forced_ends, 1);
}

#[test]
fn a_disconnected_session_restored_keeps_its_ttl() {
    let mut s = Session::new();
    s.at(1000).send(Input::SocketClosed);
    let (machine, step) = s
        .machine
        .clone()
        .restored_after_restart(T0 + 5000, &s.config);
    assert!(step.is_quiet());
    assert_eq!(machine, s.machine);

    let (machine, step) = s
        .machine
        .clone()
        .restored_after_restart(T0 + 601_000, &s.config);
    assert_eq!(path(&step), vec![(Closed, "server_restart_expired")]);
    assert_eq!(machine.state(), Closed);
}

#[test]
fn start_on_a_disconnected_session_resumes_it_first() {
    let mut s = Session::quiet();
    s.at(180_000).tick();
    s.send(Input::SocketClosed);
    let step = s.at(200_000).send(Input::Start);
    assert_eq!(
        path(&step),
        vec![
            (VoiceState::Reconnecting, "resume_requested"),
            (Idle, "resumed"),
            (Observing, "started"),
        ]
    );
}

// ---- data and names --------------------------------------------------------------------------

#[test]
fn config_defaults_are_those_of_the_protocol() {
    let config = VoiceConfig::default();
    assert_eq!(config, VoiceConfig::from(&UserSettings::default()));
    let json = serde_json::to_value(&config).expect("serializes");
    let expected = serde_json::json!({
        "cooldownMs": 500, "mergeWithinMs": 250, "minSpeechMs": 200, "maxSpeechMs": 15000,
        "autoPauseVideo": true, "autoResumeDelayMs": 500, "idleStopMs": 180000,
        "heartbeatIntervalMs": 5000, "heartbeatTimeoutMs": 15000, "maxRestarts": 3,
        "restartWindowMs": 60000, "sessionTtlMs": 600000,
    });
    assert_eq!(json, expected);
}

#[test]
fn config_follows_the_users_settings() {
    let settings = UserSettings {
        cooldown_ms: 900,
        auto_pause_video: false,
        max_restarts: 7,
        session_ttl_ms: 60_000,
        ..UserSettings::default()
    };
    let config = VoiceConfig::from(&settings);
    assert_eq!(config.cooldown_ms, 900);
    assert!(!config.auto_pause_video);
    assert_eq!(config.max_restarts, 7);
    assert_eq!(config.session_ttl_ms, 60_000);
}

#[test]
fn names_are_those_of_the_protocol() {
    let states = [
        Idle,
        Observing,
        Recording,
        Cooldown,
        Error,
        Disconnected,
        VoiceState::Reconnecting,
        Closed,
    ];
    let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "idle",
            "observing",
            "recording",
            "cooldown",
            "error",
            "disconnected",
            "reconnecting",
            "closed"
        ]
    );
    for state in states {
        let json = serde_json::to_value(state).expect("serializes");
        assert_eq!(json, serde_json::json!(state.as_str()));
    }
    let commands = [
        Command::PauseVideo,
        Command::ResumeVideo,
        Command::StopUtterance,
        stop_capture(CaptureStopReason::CircuitOpen),
        Command::RestartCapture { backoff_ms: 1 },
        Command::ResetSession,
    ];
    let names: Vec<&str> = commands.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "PAUSE_VIDEO",
            "RESUME_VIDEO",
            "STOP_UTTERANCE",
            "STOP_CAPTURE",
            "RESTART_CAPTURE",
            "RESET_SESSION"
        ]
    );
    assert_eq!(Outcome::Duplicate.as_str(), "DUPLICATE");
    assert_eq!(
        Outcome::Ignored(IgnoreReason::UtteranceReused).reason(),
        Some("utterance_reused")
    );
    assert_eq!(
        CaptureStopReason::NoSpeechTimeout.as_str(),
        "no_speech_timeout"
    );
    assert_eq!(
        CaptureStopReason::SessionClosed(StopReason::ContextMoved).as_str(),
        "context_moved"
    );
    assert_eq!(
        SpeechEndReason::PushToTalkRelease.as_str(),
        "PUSH_TO_TALK_RELEASE"
    );
    assert_eq!(EventKind::Heartbeat.as_str(), "HEARTBEAT");
}

#[test]
fn only_closed_is_not_live() {
    assert!(Disconnected.is_live());
    assert!(VoiceState::Reconnecting.is_live());
    assert!(Idle.is_live());
    assert!(!Closed.is_live());
    assert!(!Disconnected.is_connected());
    assert!(Error.is_connected());
}

#[test]
fn the_snapshot_is_camel_case_json_and_round_trips() {
    let mut s = Session::new();
    s.at(1000).event(start("u1", 7.125, true));
    let json = serde_json::to_value(&s.machine).expect("serializes");
    assert_eq!(json["state"], "recording");
    assert_eq!(json["lastAppliedSeq"], 1);
    assert_eq!(json["counters"]["speechDetections"], 1);
    assert_eq!(json["utterance"]["mediaTime"], 7.125);
    assert_eq!(json["deadlines"]["maxSpeech"], T0 + 17_000);
    let back: VoiceMachine = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, s.machine);
}

#[test]
fn ended_utterance_ids_are_bounded() {
    let mut s = Session::new();
    for i in 0..(ENDED_UTTERANCES_KEPT + 10) {
        let id = format!("u{i}");
        s.speech_start(&id, false);
        s.speech_end(&id, 10);
    }
    assert_eq!(s.machine.ended_utterances.len(), ENDED_UTTERANCES_KEPT);
    // The oldest are forgotten; the newest still refuse reuse.
    assert_eq!(s.speech_start("u0", false).outcome, Outcome::Applied);
    s.speech_end("u0", 10);
    let last = format!("u{}", ENDED_UTTERANCES_KEPT + 9);
    assert_eq!(
        s.speech_start(&last, false).ignored(),
        Some(IgnoreReason::UtteranceReused)
    );
}
