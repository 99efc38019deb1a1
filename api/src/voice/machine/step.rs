//! The rules: how each input and each timer moves a [`VoiceMachine`] (the 5.1 table, row by
//! row, with its guards).

use super::config::{MAX_CLOCK_AHEAD_MS, MAX_SPEECH_GRACE_MS, restart_backoff_ms};
use super::input::{EventKind, Input, SpeechEndReason, StopReason, VoiceEvent};
use super::output::{
    CaptureStopReason, Cause, Command, IgnoreReason, Outcome, ResetReason, Step, Transition,
};
use super::state::{
    AwaitedTranscript, Counters, Deadlines, Timer, Utterance, VoiceMachine, VoiceState,
};
use super::{ENDED_UTTERANCES_KEPT, Millis, TRANSCRIPT_GRACE_MS, VoiceConfig};

use VoiceState::{Closed, Cooldown, Disconnected, Error, Idle, Observing, Reconnecting, Recording};

impl VoiceMachine {
    /// `startVoiceSession`: a new session in `observing`, with its idle-stop and heartbeat
    /// timers armed.
    pub fn new(now: Millis, config: &VoiceConfig) -> (VoiceMachine, Step) {
        let machine = VoiceMachine {
            state: Observing,
            resume_to: None,
            last_applied_seq: 0,
            utterance: None,
            ended_utterances: Vec::new(),
            counters: Counters::default(),
            error_times: Vec::new(),
            circuit_open: false,
            deadlines: Deadlines {
                idle_stop: Some(now.saturating_add(config.idle_stop_ms)),
                heartbeat: Some(now.saturating_add(config.heartbeat_timeout_ms)),
                ..Deadlines::default()
            },
            disconnected_at: None,
            last_event_at: None,
            last_contact_at: now,
            created_at: now,
            end_reason: None,
            awaited_transcript: None,
            pending_stop: None,
        };
        let mut step = Step::new(Outcome::Applied);
        step.transitions.push(Transition {
            from: None,
            to: Observing,
            cause: Cause::Started,
            at: now,
        });
        (machine, step)
    }

    /// The machine and what happened, after `input` at `now`. Every timer due at `now` fires
    /// first, in time order (a late runtime gets the same result as a punctual one), then the
    /// input applies, then anything it armed that is already due fires. A closed machine
    /// never changes and never commands.
    pub fn step(&self, input: &Input, now: Millis, config: &VoiceConfig) -> (VoiceMachine, Step) {
        if self.state == Closed {
            let outcome = match input {
                Input::Event(_) => Outcome::Ignored(IgnoreReason::Closed),
                _ => Outcome::Applied,
            };
            return (self.clone(), Step::new(outcome));
        }
        let mut run = Run::new(self.clone(), now, config);
        run.fire_due();
        let outcome = run.apply(input);
        run.fire_due();
        run.settle_pending_stop();
        run.finish(outcome)
    }

    /// A session rebuilt from its snapshot after a server restart. A connected session goes
    /// to `disconnected` (returning to the state it was in on resume), frozen since its client
    /// was last heard; one whose TTL, counted from then, has passed closes with
    /// `server_restart_expired` (as does a disconnected one whose TTL passed meanwhile).
    pub fn restored_after_restart(self, now: Millis, config: &VoiceConfig) -> (VoiceMachine, Step) {
        let mut run = Run::new(self, now, config);
        run.restore();
        run.finish(Outcome::Applied)
    }

    fn has_ended(&self, utterance_id: &str) -> bool {
        self.ended_utterances.iter().any(|id| id == utterance_id)
    }

    /// Whether `utterance_id` was spoken in this session: the utterance recording or in
    /// cooldown, or one of the last ended ones. A transcript must name such an utterance.
    pub fn knows_utterance(&self, utterance_id: &str) -> bool {
        self.utterance
            .as_ref()
            .is_some_and(|u| u.id == utterance_id)
            || self.has_ended(utterance_id)
    }
}

/// One step in progress: the machine being changed and what it has said so far.
struct Run<'a> {
    m: VoiceMachine,
    config: &'a VoiceConfig,
    now: Millis,
    step: Step,
}

fn bump(counter: &mut u32) {
    *counter = counter.saturating_add(1);
}

impl<'a> Run<'a> {
    fn new(machine: VoiceMachine, now: Millis, config: &'a VoiceConfig) -> Run<'a> {
        Run {
            m: machine,
            config,
            now,
            step: Step::new(Outcome::Applied),
        }
    }

    fn finish(mut self, outcome: Outcome) -> (VoiceMachine, Step) {
        self.step.outcome = outcome;
        (self.m, self.step)
    }

    fn go(&mut self, to: VoiceState, cause: Cause, at: Millis) {
        self.step.transitions.push(Transition {
            from: Some(self.m.state),
            to,
            cause,
            at,
        });
        self.m.state = to;
    }

    fn command(&mut self, command: Command) {
        self.step.commands.push(command);
    }

    fn counters(&mut self) -> &mut Counters {
        &mut self.m.counters
    }

    fn deadlines(&mut self) -> &mut Deadlines {
        &mut self.m.deadlines
    }

    // ---- timers ----------------------------------------------------------------------------

    fn fire_due(&mut self) {
        loop {
            let due = self
                .m
                .pending_timers()
                .filter(|(at, _)| *at <= self.now)
                .min();
            let Some((at, timer)) = due else { break };
            self.fire(timer, at);
        }
    }

    /// Each arm clears its timer or leaves the state it acts in, so `fire_due` ends.
    fn fire(&mut self, timer: Timer, at: Millis) {
        match timer {
            Timer::MaxSpeech => {
                self.deadlines().max_speech = None;
                bump(&mut self.counters().forced_ends);
                self.command(Command::StopUtterance);
                if let Some(utterance) = self.m.utterance.as_mut() {
                    utterance.ended_at = None;
                    let id = utterance.id.clone();
                    // The client transcribes what it captured up to the STOP_UTTERANCE.
                    self.await_transcript(id.clone(), at);
                    self.remember_ended(id);
                }
                self.arm_cooldown(at);
                self.go(Cooldown, Cause::MaxSpeech, at);
            }
            Timer::CooldownEnd => {
                self.deadlines().cooldown_end = None;
                self.m.utterance = None;
                self.arm_idle(at);
                self.go(Observing, Cause::CooldownElapsed, at);
            }
            Timer::AutoResume => {
                self.deadlines().auto_resume = None;
                // Paid: an utterance in cooldown merged after this no longer owes a resume.
                if let Some(utterance) = self.m.utterance.as_mut() {
                    utterance.paused_video = false;
                }
                self.command(Command::ResumeVideo);
            }
            Timer::IdleStop => {
                self.deadlines().idle_stop = None;
                self.command(Command::StopCapture {
                    reason: CaptureStopReason::NoSpeechTimeout,
                });
                self.go(Idle, Cause::IdleStop, at);
            }
            Timer::Heartbeat => self.disconnect(Cause::HeartbeatTimeout, at),
            Timer::SessionTtl => self.close(StopReason::SessionTtlExpired, at, false),
            Timer::StopGrace => {
                self.deadlines().stop_grace = None;
                if let Some(reason) = self.m.pending_stop {
                    self.close(reason, at, true);
                }
            }
        }
    }

    /// Cooldown after an utterance ended at `at`, and the video's resume if it is owed.
    fn arm_cooldown(&mut self, at: Millis) {
        let cooldown_end = at.saturating_add(self.config.cooldown_ms);
        self.deadlines().cooldown_end = Some(cooldown_end);
        if self.m.utterance.as_ref().is_some_and(|u| u.paused_video) {
            let resume_at = at.saturating_add(self.config.auto_resume_delay_ms);
            self.deadlines().auto_resume = Some(resume_at);
        }
    }

    /// Arms idle stop from `at` unless it is armed already: an error or a disconnect between
    /// two observing periods is not speech, so it does not restart the count.
    fn arm_idle(&mut self, at: Millis) {
        let idle_at = at.saturating_add(self.config.idle_stop_ms);
        self.deadlines().idle_stop.get_or_insert(idle_at);
    }

    /// The utterance `id` ended at `at` with speech its client transcribes: a stop waits for
    /// its note.
    fn await_transcript(&mut self, id: String, at: Millis) {
        self.m.awaited_transcript = Some(AwaitedTranscript {
            utterance_id: id,
            ended_at: at,
        });
    }

    /// Closes a session whose stop waited, once nothing is in flight any more. Runs after
    /// every input, so a note, a short speech or time passing each end the wait.
    fn settle_pending_stop(&mut self) {
        if let Some(reason) = self.m.pending_stop
            && self.m.state != Closed
            && !self.m.utterance_in_flight(self.now)
        {
            self.close(reason, self.now, true);
        }
    }

    fn remember_ended(&mut self, id: String) {
        if !self.m.has_ended(&id) {
            self.m.ended_utterances.push(id);
            if self.m.ended_utterances.len() > ENDED_UTTERANCES_KEPT {
                self.m.ended_utterances.remove(0);
            }
        }
    }

    // ---- inputs ----------------------------------------------------------------------------

    fn apply(&mut self, input: &Input) -> Outcome {
        match input {
            Input::Tick => {}
            Input::Event(event) => return self.accept(event),
            Input::Start => self.start(),
            Input::SocketClosed => {
                if self.m.state.is_connected() {
                    self.disconnect(Cause::SocketClosed, self.now);
                }
            }
            Input::Resume => self.resume(),
            Input::Stop { reason } => self.close(*reason, self.now, true),
            Input::StopAfterUtterance { reason } => self.stop_after_utterance(*reason),
            Input::NoteRecorded { utterance_id, kept } => {
                self.note_recorded(utterance_id.as_deref(), *kept);
            }
            Input::ResetRequested => {
                if self.m.state != Closed {
                    return self.reset(ResetReason::Requested);
                }
            }
        }
        Outcome::Applied
    }

    /// Closes now when nothing is in flight, else waits for the awaited transcript until the
    /// grace deadline. A second request while one waits changes nothing: the first reason and
    /// deadline stand.
    fn stop_after_utterance(&mut self, reason: StopReason) {
        if !self.m.utterance_in_flight(self.now) {
            self.close(reason, self.now, true);
            return;
        }
        if self.m.pending_stop.is_some() {
            return;
        }
        // An ended utterance's transcript is awaited for the grace from its end; a recording
        // one gets the grace from now, whatever is left of its speech included.
        let deadline = match &self.m.awaited_transcript {
            Some(awaited) if !self.m.recording_open() => {
                awaited.ended_at.saturating_add(TRANSCRIPT_GRACE_MS)
            }
            _ => self.now.saturating_add(TRANSCRIPT_GRACE_MS),
        };
        self.m.pending_stop = Some(reason);
        self.deadlines().stop_grace = Some(deadline);
    }

    fn note_recorded(&mut self, utterance_id: Option<&str>, kept: bool) {
        if kept {
            bump(&mut self.counters().notes_created);
        }
        let awaited = self.m.awaited_transcript.as_ref();
        if utterance_id.is_some_and(|id| awaited.is_some_and(|a| a.utterance_id == id)) {
            self.m.awaited_transcript = None;
        }
    }

    /// The client was heard: it is not gone.
    fn touch(&mut self) {
        self.m.last_contact_at = self.now;
        if self.m.state.is_connected() {
            let deadline = self.now.saturating_add(self.config.heartbeat_timeout_ms);
            self.deadlines().heartbeat = Some(deadline);
        }
    }

    fn reset(&mut self, reason: ResetReason) -> Outcome {
        bump(&mut self.counters().resets);
        self.command(Command::ResetSession);
        Outcome::Reset(reason)
    }

    /// Sequencing (PROTOCOL.md 5.3 and 8.5), then the event itself.
    fn accept(&mut self, event: &VoiceEvent) -> Outcome {
        if self.m.state == Closed {
            return Outcome::Ignored(IgnoreReason::Closed);
        }
        if event.seq <= self.m.last_applied_seq {
            return Outcome::Duplicate;
        }
        if event.seq > self.m.last_applied_seq.saturating_add(1) {
            return self.reset(ResetReason::Gap);
        }
        if !self.m.state.is_connected() {
            return self.reset(ResetReason::Disconnected);
        }
        self.m.last_applied_seq = event.seq;
        self.m.last_event_at = Some(self.now);
        self.touch();
        match self.take(event) {
            None => Outcome::Applied,
            Some(reason) => Outcome::Ignored(reason),
        }
    }

    /// The event's effect, or why there is none.
    fn take(&mut self, event: &VoiceEvent) -> Option<IgnoreReason> {
        if event.occurred_at > self.now.saturating_add(MAX_CLOCK_AHEAD_MS) {
            return Some(IgnoreReason::FutureTimestamp);
        }
        match &event.kind {
            EventKind::Heartbeat => {
                self.heartbeat();
                None
            }
            EventKind::Error { .. } => {
                self.capture_error(event.occurred_at);
                None
            }
            EventKind::SpeechStart {
                utterance_id,
                media_time,
                video_playing,
            } => self.speech_start(utterance_id, *media_time, *video_playing, event.occurred_at),
            EventKind::SpeechEnd {
                utterance_id,
                duration_ms,
                reason,
            } => self.speech_end(utterance_id, *duration_ms, *reason, event.occurred_at),
        }
    }

    fn speech_start(
        &mut self,
        id: &str,
        media_time: f64,
        video_playing: bool,
        occurred_at: Millis,
    ) -> Option<IgnoreReason> {
        if id.is_empty() || !media_time.is_finite() || media_time < 0.0 {
            return Some(IgnoreReason::InvalidValue);
        }
        if self.m.pending_stop.is_some() {
            return Some(IgnoreReason::Stopping);
        }
        match self.m.state {
            Idle => {
                bump(&mut self.counters().ignored_idle);
                Some(IgnoreReason::Idle)
            }
            Error => Some(IgnoreReason::CaptureError),
            Recording => Some(IgnoreReason::AlreadyRecording),
            Observing if self.m.has_ended(id) => Some(IgnoreReason::UtteranceReused),
            Observing => {
                self.begin_utterance(id, media_time, video_playing, occurred_at);
                None
            }
            Cooldown => self.speech_start_in_cooldown(id, media_time, video_playing, occurred_at),
            // Not reached: events are taken only in connected states.
            Disconnected | Reconnecting | Closed => Some(IgnoreReason::Closed),
        }
    }

    /// Merge, begin anew, or ignore. The gap since the `SPEECH_END` is measured on the
    /// client's clock, like durations: a replay or a slow network delivers events late, and
    /// arrival times would then merge speech seconds apart.
    fn speech_start_in_cooldown(
        &mut self,
        id: &str,
        media_time: f64,
        video_playing: bool,
        occurred_at: Millis,
    ) -> Option<IgnoreReason> {
        let (same_id, ended_at) = match &self.m.utterance {
            Some(previous) => (previous.id == id, previous.ended_at),
            None => (false, None),
        };
        if !same_id && self.m.has_ended(id) {
            return Some(IgnoreReason::UtteranceReused);
        }
        // After a forced end there is no client end time: nothing to merge with.
        if let Some(ended_at) = ended_at {
            let gap = occurred_at.saturating_sub(ended_at);
            if gap <= self.config.merge_within_ms {
                self.merge(id);
                return None;
            }
            if gap >= self.config.cooldown_ms && !same_id {
                // The client spoke after the cooldown; the server's timer is merely late.
                self.deadlines().cooldown_end = None;
                self.m.utterance = None;
                self.go(Observing, Cause::CooldownElapsed, self.now);
                self.begin_utterance(id, media_time, video_playing, occurred_at);
                return None;
            }
        }
        if same_id {
            return Some(IgnoreReason::UtteranceReused);
        }
        bump(&mut self.counters().ignored_cooldown);
        Some(IgnoreReason::Cooldown)
    }

    fn begin_utterance(
        &mut self,
        id: &str,
        media_time: f64,
        video_playing: bool,
        occurred_at: Millis,
    ) {
        // A pending resume belongs to a video still paused for the previous utterance: this
        // one takes it over, or the video would stay paused for good.
        let inherited = self.deadlines().auto_resume.take().is_some();
        let pause = self.config.auto_pause_video && video_playing;
        if pause {
            self.command(Command::PauseVideo);
        }
        self.m.utterance = Some(Utterance {
            id: id.to_owned(),
            media_time,
            video_was_playing: video_playing,
            paused_video: pause || inherited,
            started_at: occurred_at,
            ended_at: None,
            duration_ms: 0,
            segments: 1,
            end_reason: None,
        });
        self.arm_max_speech();
        self.deadlines().idle_stop = None;
        bump(&mut self.counters().speech_detections);
        self.go(Recording, Cause::SpeechStart, self.now);
    }

    /// Continues the utterance in cooldown: same start media time, same owed resume, no new
    /// `PAUSE_VIDEO`.
    fn merge(&mut self, id: &str) {
        if let Some(utterance) = self.m.utterance.as_mut() {
            utterance.id = id.to_owned();
            utterance.ended_at = None;
            utterance.end_reason = None;
            utterance.segments = utterance.segments.saturating_add(1);
        }
        self.deadlines().cooldown_end = None;
        self.deadlines().auto_resume = None;
        self.arm_max_speech();
        bump(&mut self.counters().merged);
        self.go(Recording, Cause::SpeechMerged, self.now);
    }

    fn arm_max_speech(&mut self) {
        let deadline = self
            .now
            .saturating_add(self.config.max_speech_ms)
            .saturating_add(MAX_SPEECH_GRACE_MS);
        self.deadlines().max_speech = Some(deadline);
    }

    fn speech_end(
        &mut self,
        id: &str,
        duration_ms: i64,
        reason: SpeechEndReason,
        occurred_at: Millis,
    ) -> Option<IgnoreReason> {
        if id.is_empty() || duration_ms < 0 {
            return Some(IgnoreReason::InvalidValue);
        }
        let recording_id = match (&self.m.state, &self.m.utterance) {
            (Idle, _) => {
                bump(&mut self.counters().ignored_idle);
                return Some(IgnoreReason::Idle);
            }
            (Recording, Some(utterance)) => Some(utterance.id.as_str()),
            _ => None,
        };
        if recording_id != Some(id) {
            return Some(if self.m.has_ended(id) {
                IgnoreReason::UtteranceEnded
            } else if recording_id.is_some() {
                IgnoreReason::UtteranceMismatch
            } else {
                IgnoreReason::NoUtterance
            });
        }
        let Some(utterance) = self.m.utterance.as_ref() else {
            return Some(IgnoreReason::NoUtterance);
        };
        // Durations are the client's (PROTOCOL.md 8.5); a merged utterance counts all of it.
        let total = utterance.duration_ms.saturating_add(duration_ms);
        let paused_video = utterance.paused_video;
        self.deadlines().max_speech = None;
        if total < self.config.min_speech_ms {
            self.m.utterance = None;
            self.remember_ended(id.to_owned());
            bump(&mut self.counters().ignored_short);
            if paused_video {
                self.command(Command::ResumeVideo);
            }
            self.arm_idle(self.now);
            self.go(Observing, Cause::SpeechTooShort, self.now);
        } else {
            if let Some(utterance) = self.m.utterance.as_mut() {
                utterance.duration_ms = total;
                utterance.ended_at = Some(occurred_at);
                utterance.end_reason = Some(reason);
            }
            self.remember_ended(id.to_owned());
            self.await_transcript(id.to_owned(), self.now);
            bump(&mut self.counters().speech_ends);
            self.arm_cooldown(self.now);
            self.go(Cooldown, Cause::SpeechEnd, self.now);
        }
        None
    }

    fn heartbeat(&mut self) {
        bump(&mut self.counters().heartbeats);
        let ready = self
            .m
            .deadlines
            .restart_ready
            .is_none_or(|at| self.now >= at);
        if self.m.state == Error && !self.m.circuit_open && ready {
            self.deadlines().restart_ready = None;
            bump(&mut self.counters().restarts);
            self.arm_idle(self.now);
            self.go(Observing, Cause::RestartRecovered, self.now);
        }
    }

    /// The circuit breaker. Errors are counted on the client's clock within
    /// `restartWindowMs` of this one, so a replay of old errors arriving together does not
    /// open it; the (`maxRestarts` + 1)-th opens it.
    fn capture_error(&mut self, occurred_at: Millis) {
        bump(&mut self.counters().errors);
        if self.m.circuit_open {
            return;
        }
        let window = u64::try_from(self.config.restart_window_ms).unwrap_or(0);
        self.m
            .error_times
            .retain(|&at| at.abs_diff(occurred_at) < window);
        self.m.error_times.push(occurred_at);
        let errors = u32::try_from(self.m.error_times.len()).unwrap_or(u32::MAX);

        match self.m.state {
            Recording => {
                // Capture died mid-utterance: end it now, and give the video back later.
                self.deadlines().max_speech = None;
                bump(&mut self.counters().forced_ends);
                self.command(Command::StopUtterance);
                if let Some(utterance) = self.m.utterance.take() {
                    if utterance.paused_video {
                        let resume_at = self.now.saturating_add(self.config.auto_resume_delay_ms);
                        self.deadlines().auto_resume = Some(resume_at);
                    }
                    self.await_transcript(utterance.id.clone(), self.now);
                    self.remember_ended(utterance.id);
                }
            }
            Cooldown => {
                // The utterance has ended; a pending resume still fires.
                self.deadlines().cooldown_end = None;
                self.m.utterance = None;
            }
            _ => {}
        }

        if errors > self.config.max_restarts {
            self.m.circuit_open = true;
            self.deadlines().restart_ready = None;
            self.command(Command::StopCapture {
                reason: CaptureStopReason::CircuitOpen,
            });
            self.go(Error, Cause::CircuitOpen, self.now);
        } else {
            let backoff_ms = restart_backoff_ms(errors);
            self.deadlines().restart_ready = Some(self.now.saturating_add(backoff_ms));
            self.command(Command::RestartCapture { backoff_ms });
            self.go(Error, Cause::Error, self.now);
        }
    }

    fn start(&mut self) {
        if matches!(self.m.state, Disconnected | Reconnecting) {
            self.resume();
        }
        let wakes = match self.m.state {
            Idle => true,
            Error if self.m.circuit_open => {
                self.m.circuit_open = false;
                self.m.error_times.clear();
                self.deadlines().restart_ready = None;
                true
            }
            _ => false,
        };
        if wakes {
            // The user asked to listen: the idle count starts over.
            let idle_at = self.now.saturating_add(self.config.idle_stop_ms);
            self.deadlines().idle_stop = Some(idle_at);
            self.go(Observing, Cause::Started, self.now);
        }
        if self.m.state.is_connected() {
            self.touch();
        }
    }

    fn disconnect(&mut self, cause: Cause, at: Millis) {
        self.m.resume_to = Some(self.m.state);
        self.m.disconnected_at = Some(at);
        self.deadlines().heartbeat = None;
        self.deadlines().session_ttl = Some(at.saturating_add(self.config.session_ttl_ms));
        bump(&mut self.counters().disconnects);
        self.go(Disconnected, cause, at);
    }

    fn resume(&mut self) {
        match self.m.state {
            Disconnected => {
                self.go(Reconnecting, Cause::ResumeRequested, self.now);
                self.reconnect();
            }
            Reconnecting => self.reconnect(),
            state if state.is_connected() => self.touch(),
            _ => {}
        }
    }

    /// Back to the state the session was in, its timers running again with the time they had
    /// left: while disconnected no command could reach the client, so none came due.
    fn reconnect(&mut self) {
        let frozen_for = self
            .m
            .disconnected_at
            .map_or(0, |since| self.now.saturating_sub(since).max(0));
        let d = self.deadlines();
        for deadline in [
            &mut d.max_speech,
            &mut d.cooldown_end,
            &mut d.auto_resume,
            &mut d.idle_stop,
            &mut d.restart_ready,
        ] {
            *deadline = deadline.map(|at| at.saturating_add(frozen_for));
        }
        d.session_ttl = None;
        self.m.disconnected_at = None;
        let to = self
            .m
            .resume_to
            .take()
            .filter(|state| state.is_connected())
            .unwrap_or(Observing);
        self.go(to, Cause::Resumed, self.now);
        self.touch();
    }

    /// Ends the session. `notify` is false when no client can hear the commands (the TTL
    /// passed, the server restarted too late).
    fn close(&mut self, reason: StopReason, at: Millis, notify: bool) {
        if self.m.state == Closed {
            return;
        }
        if self.m.recording_open() {
            bump(&mut self.counters().forced_ends);
            if notify {
                self.command(Command::StopUtterance);
            }
        }
        if let Some(utterance) = self.m.utterance.take() {
            self.remember_ended(utterance.id);
        }
        if notify {
            self.command(Command::StopCapture {
                reason: CaptureStopReason::SessionClosed(reason),
            });
        }
        self.m.deadlines = Deadlines::default();
        self.m.resume_to = None;
        self.m.disconnected_at = None;
        self.m.pending_stop = None;
        self.m.awaited_transcript = None;
        self.m.end_reason = Some(reason);
        self.go(Closed, Cause::Closed(reason), at);
    }

    fn restore(&mut self) {
        let ttl = self.config.session_ttl_ms;
        match self.m.state {
            Closed => {}
            Disconnected => {
                let since = self.m.disconnected_at.unwrap_or(self.m.last_contact_at);
                let expires = self
                    .m
                    .deadlines
                    .session_ttl
                    .unwrap_or(since.saturating_add(ttl));
                if self.now >= expires {
                    self.close(StopReason::ServerRestartExpired, self.now, false);
                }
            }
            state => {
                // The client was last heard at its last contact; it has been gone since.
                let since = self.m.last_contact_at;
                let expires = since.saturating_add(ttl);
                if self.now >= expires {
                    self.close(StopReason::ServerRestartExpired, self.now, false);
                    return;
                }
                let resume_to = match state {
                    Reconnecting => self.m.resume_to.unwrap_or(Observing),
                    state => state,
                };
                self.m.resume_to = Some(resume_to);
                self.m.disconnected_at = Some(since);
                self.deadlines().heartbeat = None;
                self.deadlines().session_ttl = Some(expires);
                bump(&mut self.counters().disconnects);
                self.go(Disconnected, Cause::ServerRestarted, self.now);
            }
        }
    }
}
