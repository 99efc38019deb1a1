//! Property tests: random scripts of inputs and clock advances (seqs mostly contiguous, with
//! duplicates and gaps; random kinds, ids, durations, some invalid values and future
//! timestamps; random configurations within the settings' ranges and rules), and the
//! invariants that must hold after every step.

use proptest::prelude::*;

use super::*;

const T0: Millis = 1_000_000;

#[derive(Debug, Clone, Copy)]
enum SeqChoice {
    Next,
    /// `appliedSeq - k`: a duplicate.
    Repeat(i64),
    /// `appliedSeq + 2 + k`: a gap.
    Skip(i64),
}

/// An utterance id, chosen when the script runs so that speech events mostly make sense.
#[derive(Debug, Clone, Copy)]
enum Id {
    /// Never used before in the run.
    Fresh,
    /// The session's current utterance (a fresh one if there is none).
    Current,
    /// One of a few fixed ids, which ends up reused.
    Pool(u8),
    Empty,
}

/// An event kind with its utterance id still to choose.
#[derive(Debug, Clone)]
enum Kind {
    SpeechStart {
        id: Id,
        media_time: f64,
        video_playing: bool,
    },
    SpeechEnd {
        id: Id,
        duration_ms: i64,
        reason: SpeechEndReason,
    },
    Heartbeat,
    Error,
}

#[derive(Debug, Clone)]
enum Action {
    Event {
        seq: SeqChoice,
        kind: Kind,
        /// `occurredAt` minus the arrival time.
        skew: Millis,
    },
    /// A note for the utterance awaited (`Current`) or another.
    Note {
        id: Id,
        kept: bool,
    },
    Other(Input),
}

/// One step of a run, kept for the checks.
#[derive(Debug)]
struct Record {
    before: VoiceMachine,
    input: Input,
    now: Millis,
    after: VoiceMachine,
    step: Step,
}

fn config() -> impl Strategy<Value = VoiceConfig> {
    let speech = (
        0i64..=2000,
        0i64..=100,
        0i64..=999,
        1000i64..=20_000,
        any::<bool>(),
    );
    let timers = (
        0i64..=3000,
        10_000i64..=60_000,
        1000i64..=5000,
        0i64..=20_000,
        0u32..=4,
        1000i64..=60_000,
        60_000i64..=120_000,
    );
    (speech, timers).prop_map(
        |(
            (cooldown, merge_percent, min_speech, max_speech, auto_pause),
            (resume, idle, interval, timeout_extra, max_restarts, window, ttl),
        )| VoiceConfig {
            cooldown_ms: cooldown,
            // The settings require mergeWithinMs <= cooldownMs.
            merge_within_ms: cooldown * merge_percent / 100,
            min_speech_ms: min_speech,
            max_speech_ms: max_speech,
            auto_pause_video: auto_pause,
            auto_resume_delay_ms: resume,
            idle_stop_ms: idle,
            heartbeat_interval_ms: interval,
            heartbeat_timeout_ms: 2 * interval + timeout_extra,
            max_restarts,
            restart_window_ms: window,
            session_ttl_ms: ttl,
        },
    )
}

fn kind() -> impl Strategy<Value = Kind> {
    let start_id = prop_oneof![
        12 => Just(Id::Fresh),
        2 => (0u8..4).prop_map(Id::Pool),
        1 => Just(Id::Current),
        1 => Just(Id::Empty),
    ];
    let end_id = prop_oneof![
        12 => Just(Id::Current),
        2 => (0u8..4).prop_map(Id::Pool),
        1 => Just(Id::Fresh),
        1 => Just(Id::Empty),
    ];
    // Whole milliseconds, which JSON carries exactly.
    let media_time = prop_oneof![
        20 => (0i64..10_000_000).prop_map(|ms| ms as f64 / 1000.0),
        1 => Just(-1.0),
        1 => Just(f64::NAN),
    ];
    let duration = prop_oneof![6 => 0i64..20_000, 3 => 0i64..1000, 1 => Just(-5i64)];
    let reason = prop_oneof![
        Just(SpeechEndReason::NaturalEnd),
        Just(SpeechEndReason::MaxDuration),
        Just(SpeechEndReason::PushToTalkRelease),
    ];
    prop_oneof![
        4 => (start_id, media_time, any::<bool>()).prop_map(|(id, media_time, video_playing)| {
            Kind::SpeechStart {
                id,
                media_time,
                video_playing,
            }
        }),
        4 => (end_id, duration, reason).prop_map(|(id, duration_ms, reason)| Kind::SpeechEnd {
            id,
            duration_ms,
            reason,
        }),
        3 => Just(Kind::Heartbeat),
        1 => Just(Kind::Error),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let seq = prop_oneof![
        16 => Just(SeqChoice::Next),
        2 => (0i64..3).prop_map(SeqChoice::Repeat),
        1 => (0i64..3).prop_map(SeqChoice::Skip),
    ];
    let skew = prop_oneof![19 => -500i64..=500, 1 => 60_001i64..120_000];
    let stop = prop_oneof![
        Just(StopReason::UserStopped),
        Just(StopReason::ContextMoved),
        Just(StopReason::Idle),
    ];
    prop_oneof![
        70 => (seq, kind(), skew).prop_map(|(seq, kind, skew)| Action::Event { seq, kind, skew }),
        10 => Just(Action::Other(Input::Tick)),
        1 => Just(Action::Other(Input::SocketClosed)),
        10 => Just(Action::Other(Input::Resume)),
        2 => Just(Action::Other(Input::Start)),
        1 => stop.clone().prop_map(|reason| Action::Other(Input::Stop { reason })),
        2 => stop.prop_map(|reason| Action::Other(Input::StopAfterUtterance { reason })),
        4 => (prop_oneof![3 => Just(Id::Current), 1 => (0u8..4).prop_map(Id::Pool)], any::<bool>())
            .prop_map(|(id, kept)| Action::Note { id, kept }),
        1 => Just(Action::Other(Input::ResetRequested)),
    ]
}

fn script() -> impl Strategy<Value = Vec<(Millis, Action)>> {
    // Mostly shorter than any heartbeat timeout, so sessions stay connected for a while.
    let advance = prop_oneof![
        80 => 0i64..600,
        16 => 600i64..3000,
        3 => 3000i64..30_000,
        1 => 30_000i64..800_000,
    ];
    prop::collection::vec((advance, action()), 1..60)
}

fn run(config: &VoiceConfig, script: &[(Millis, Action)]) -> Vec<Record> {
    let (mut machine, _) = VoiceMachine::new(T0, config);
    let mut now = T0;
    let mut fresh = 0;
    let mut records = Vec::with_capacity(script.len());
    for (advance, action) in script {
        now += advance;
        let input = match action {
            Action::Event { seq, kind, skew } => {
                let last = machine.last_applied_seq();
                let seq = match *seq {
                    SeqChoice::Next => last + 1,
                    SeqChoice::Repeat(k) => last - k,
                    SeqChoice::Skip(k) => last + 2 + k,
                };
                let mut id = |id: Id| {
                    match id {
                        Id::Current => machine.utterance().map(|u| u.id.clone()),
                        Id::Pool(i) => Some(format!("u{i}")),
                        Id::Empty => Some(String::new()),
                        Id::Fresh => None,
                    }
                    .unwrap_or_else(|| {
                        fresh += 1;
                        format!("f{fresh}")
                    })
                };
                let kind = match kind {
                    Kind::SpeechStart {
                        id: which,
                        media_time,
                        video_playing,
                    } => EventKind::SpeechStart {
                        utterance_id: id(*which),
                        media_time: *media_time,
                        video_playing: *video_playing,
                    },
                    Kind::SpeechEnd {
                        id: which,
                        duration_ms,
                        reason,
                    } => EventKind::SpeechEnd {
                        utterance_id: id(*which),
                        duration_ms: *duration_ms,
                        reason: *reason,
                    },
                    Kind::Heartbeat => EventKind::Heartbeat,
                    Kind::Error => EventKind::Error {
                        message: "capture failed".into(),
                    },
                };
                Input::Event(VoiceEvent {
                    seq,
                    occurred_at: now + skew,
                    kind,
                })
            }
            Action::Note { id, kept } => {
                let utterance_id = match id {
                    Id::Pool(i) => format!("u{i}"),
                    _ => machine
                        .awaited_transcript()
                        .map_or_else(String::new, |a| a.utterance_id.clone()),
                };
                Input::NoteRecorded {
                    utterance_id: Some(utterance_id),
                    kept: *kept,
                }
            }
            Action::Other(input) => input.clone(),
        };
        let (after, step) = machine.step(&input, now, config);
        records.push(Record {
            before: machine,
            input,
            now,
            after: after.clone(),
            step,
        });
        machine = after;
    }
    records
}

fn counters(c: Counters) -> [u32; 13] {
    [
        c.speech_detections,
        c.merged,
        c.speech_ends,
        c.ignored_short,
        c.ignored_cooldown,
        c.ignored_idle,
        c.forced_ends,
        c.errors,
        c.restarts,
        c.resets,
        c.disconnects,
        c.heartbeats,
        c.notes_created,
    ]
}

/// Ticks at every deadline up to `until`, then at `until`, as a punctual runtime would.
fn tick_punctually(
    machine: &VoiceMachine,
    until: Millis,
    config: &VoiceConfig,
) -> (VoiceMachine, Vec<Transition>, Vec<Command>) {
    let mut machine = machine.clone();
    let mut transitions = Vec::new();
    let mut commands = Vec::new();
    let mut times: Vec<Millis> = Vec::new();
    while let Some(deadline) = machine.next_deadline().filter(|&d| d <= until) {
        times.push(deadline);
        let (next, step) = machine.step(&Input::Tick, deadline, config);
        machine = next;
        transitions.extend(step.transitions);
        commands.extend(step.commands);
        assert!(times.len() < 1000, "deadlines do not advance: {times:?}");
    }
    let (machine, step) = machine.step(&Input::Tick, until, config);
    transitions.extend(step.transitions);
    commands.extend(step.commands);
    (machine, transitions, commands)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_closed_machine_stays_closed_and_never_commands(
        config in config(),
        script in script(),
    ) {
        for r in run(&config, &script) {
            if r.before.state() == VoiceState::Closed {
                prop_assert_eq!(&r.after, &r.before);
                prop_assert!(r.step.is_quiet());
            }
        }
    }

    #[test]
    fn applied_seq_never_decreases_and_moves_only_with_the_outcome(
        config in config(),
        script in script(),
    ) {
        for r in run(&config, &script) {
            let before = r.before.last_applied_seq();
            let after = r.after.last_applied_seq();
            prop_assert!(after >= before);
            match &r.input {
                Input::Event(event) if r.step.outcome.advances_seq() => {
                    prop_assert_eq!(event.seq, before + 1);
                    prop_assert_eq!(after, event.seq);
                }
                _ => prop_assert_eq!(after, before),
            }
        }
    }

    #[test]
    fn every_recording_ends_when_time_passes(config in config(), script in script()) {
        for r in run(&config, &script) {
            if r.after.state() != VoiceState::Recording {
                continue;
            }
            let end = r.now + config.max_speech_ms + MAX_SPEECH_GRACE_MS;
            let mut machine = r.after.clone();
            let mut now = r.now;
            while now < end {
                now = (now + 700).min(end);
                machine = machine.step(&Input::Tick, now, &config).0;
            }
            prop_assert_ne!(machine.state(), VoiceState::Recording);
        }
    }

    #[test]
    fn a_pending_stop_closes_within_the_grace(config in config(), script in script()) {
        for r in run(&config, &script) {
            if r.after.pending_stop().is_none() {
                continue;
            }
            prop_assert!(r.after.utterance_in_flight(r.now), "{:?}", r);
            let (closed, _, _) = tick_punctually(&r.after, r.now + TRANSCRIPT_GRACE_MS, &config);
            prop_assert_eq!(closed.state(), VoiceState::Closed);
            prop_assert_eq!(closed.end_reason(), r.after.pending_stop());
        }
    }

    #[test]
    fn no_utterance_begins_while_a_stop_waits(config in config(), script in script()) {
        for r in run(&config, &script) {
            if r.before.pending_stop().is_some() {
                let (before, after) = (r.before.counters(), r.after.counters());
                prop_assert_eq!(before.speech_detections, after.speech_detections);
                prop_assert_eq!(before.merged, after.merged);
            }
        }
    }

    #[test]
    fn resume_video_only_for_a_video_the_server_paused(config in config(), script in script()) {
        let mut owed = false;
        for r in run(&config, &script) {
            for command in &r.step.commands {
                match command {
                    Command::PauseVideo => {
                        let playing = matches!(
                            &r.input,
                            Input::Event(VoiceEvent {
                                kind: EventKind::SpeechStart { video_playing: true, .. },
                                ..
                            })
                        );
                        prop_assert!(playing && config.auto_pause_video);
                        owed = true;
                    }
                    Command::ResumeVideo => {
                        prop_assert!(owed, "RESUME_VIDEO without a pause: {:?}", r);
                        owed = false;
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn counters_only_grow_and_add_up(config in config(), script in script()) {
        for r in run(&config, &script) {
            let before = counters(r.before.counters());
            let after = counters(r.after.counters());
            prop_assert!(before.iter().zip(after).all(|(b, a)| a >= *b), "{:?} -> {:?}", before, after);
            let c = r.after.counters();
            prop_assert_eq!(
                c.speech_detections + c.merged,
                c.speech_ends + c.ignored_short + c.forced_ends + u32::from(r.after.recording_open()),
                "{:?}",
                r
            );
        }
    }

    #[test]
    fn no_deadline_is_left_in_the_past(config in config(), script in script()) {
        for r in run(&config, &script) {
            if let Some(deadline) = r.after.next_deadline() {
                prop_assert!(deadline > r.now, "{} <= {}: {:?}", deadline, r.now, r);
            }
            prop_assert_ne!(r.after.state(), VoiceState::Reconnecting);
        }
    }

    #[test]
    fn the_machine_round_trips_through_json(config in config(), script in script()) {
        for r in run(&config, &script) {
            let json = serde_json::to_string(&r.after);
            prop_assert!(json.is_ok());
            let back: Option<VoiceMachine> = serde_json::from_str(&json.unwrap_or_default()).ok();
            prop_assert_eq!(back, Some(r.after));
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_outputs(config in config(), script in script()) {
        let first = run(&config, &script);
        let second = run(&config, &script);
        prop_assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(&second) {
            prop_assert_eq!(&a.after, &b.after);
            prop_assert_eq!(&a.step, &b.step);
        }
    }

    #[test]
    fn a_duplicate_does_what_a_tick_would(config in config(), script in script()) {
        for r in run(&config, &script) {
            if r.step.outcome != Outcome::Duplicate {
                continue;
            }
            let (ticked, tick) = r.before.step(&Input::Tick, r.now, &config);
            prop_assert_eq!(&r.after, &ticked);
            prop_assert_eq!(&r.step.transitions, &tick.transitions);
            prop_assert_eq!(&r.step.commands, &tick.commands);
        }
    }

    #[test]
    fn one_late_tick_equals_punctual_ticks(
        config in config(),
        script in script(),
        late_by in 0i64..800_000,
    ) {
        let records = run(&config, &script);
        let Some(last) = records.last() else { return Ok(()) };
        let until = last.now + late_by;
        let (punctual, transitions, commands) = tick_punctually(&last.after, until, &config);
        let (late, step) = last.after.step(&Input::Tick, until, &config);
        prop_assert_eq!(&late, &punctual);
        prop_assert_eq!(&step.transitions, &transitions);
        prop_assert_eq!(&step.commands, &commands);
    }
}
