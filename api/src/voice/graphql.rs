//! GraphQL for voice sessions: starting, driving, resuming and stopping them, their status
//! stream, and reading them back. A user only sees their own sessions; only the device that
//! started a session drives it.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::machine::{self, Counters, EventKind, Outcome, SpeechEndReason as MachineEndReason};
use super::registry;
use super::session::{
    EventAck, KnownState, Message, SessionHandle, SessionView, VoiceStatus as StatusEvent,
};
use super::status;
use super::store::{self, SessionOwner};
use crate::auth::Viewer;
use crate::context::{
    self, Tab,
    ownership::{Claim, Viewing},
};
use crate::error::{AppError, AppResult};
use crate::flags;
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::{Page, encode_cursor, split_page};
use crate::graphql_kit::parse_id;
use crate::state::AppState;
use crate::telemetry::{ServerEvent, TelemetryLevel, names};
use crate::ws::SocketSession;
use serde_json::json;

/// Most buffered events one resume may carry (the client's FIFO holds at most 100).
pub const MAX_RESUME_EVENTS: usize = 100;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "VoiceState", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum GqlVoiceState {
    Idle,
    Observing,
    Recording,
    Cooldown,
    Error,
    Disconnected,
    Reconnecting,
    Closed,
}

impl From<machine::VoiceState> for GqlVoiceState {
    fn from(state: machine::VoiceState) -> Self {
        use machine::VoiceState as S;
        match state {
            S::Idle => GqlVoiceState::Idle,
            S::Observing => GqlVoiceState::Observing,
            S::Recording => GqlVoiceState::Recording,
            S::Cooldown => GqlVoiceState::Cooldown,
            S::Error => GqlVoiceState::Error,
            S::Disconnected => GqlVoiceState::Disconnected,
            S::Reconnecting => GqlVoiceState::Reconnecting,
            S::Closed => GqlVoiceState::Closed,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum VoiceEventKind {
    SpeechStart,
    SpeechEnd,
    Heartbeat,
    Error,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum SpeechEndReason {
    NaturalEnd,
    MaxDuration,
    StuckState,
    ForcedEnd,
    PushToTalkRelease,
}

impl From<SpeechEndReason> for MachineEndReason {
    fn from(reason: SpeechEndReason) -> Self {
        match reason {
            SpeechEndReason::NaturalEnd => MachineEndReason::NaturalEnd,
            SpeechEndReason::MaxDuration => MachineEndReason::MaxDuration,
            SpeechEndReason::StuckState => MachineEndReason::StuckState,
            SpeechEndReason::ForcedEnd => MachineEndReason::ForcedEnd,
            SpeechEndReason::PushToTalkRelease => MachineEndReason::PushToTalkRelease,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AckOutcome {
    Applied,
    Duplicate,
    Ignored,
    Reset,
}

fn outcome_parts(outcome: &Outcome) -> (AckOutcome, Option<String>) {
    match outcome {
        Outcome::Applied => (AckOutcome::Applied, None),
        Outcome::Duplicate => (AckOutcome::Duplicate, None),
        Outcome::Ignored(reason) => (AckOutcome::Ignored, Some(reason.as_str().to_owned())),
        Outcome::Reset(reason) => (AckOutcome::Reset, Some(reason.as_str().to_owned())),
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum VoiceCommand {
    PauseVideo,
    ResumeVideo,
    StopUtterance,
    StopCapture,
    RestartCapture,
    ResetSession,
}

impl From<&machine::Command> for VoiceCommand {
    fn from(command: &machine::Command) -> Self {
        use machine::Command as C;
        match command {
            C::PauseVideo => VoiceCommand::PauseVideo,
            C::ResumeVideo => VoiceCommand::ResumeVideo,
            C::StopUtterance => VoiceCommand::StopUtterance,
            C::StopCapture { .. } => VoiceCommand::StopCapture,
            C::RestartCapture { .. } => VoiceCommand::RestartCapture,
            C::ResetSession => VoiceCommand::ResetSession,
        }
    }
}

/// The session's counters.
#[derive(SimpleObject, Clone, Copy)]
pub struct VoiceCounters {
    pub speech_detections: i64,
    pub ignored_short: i64,
    pub ignored_cooldown: i64,
    pub ignored_idle: i64,
    pub merged: i64,
    pub speech_ends: i64,
    pub forced_ends: i64,
    pub errors: i64,
    pub restarts: i64,
    pub resets: i64,
    pub disconnects: i64,
    pub heartbeats: i64,
    /// Transcripts of the session kept as notes by the quality gate.
    pub notes_created: i64,
}

impl From<Counters> for VoiceCounters {
    fn from(c: Counters) -> Self {
        VoiceCounters {
            speech_detections: c.speech_detections.into(),
            ignored_short: c.ignored_short.into(),
            ignored_cooldown: c.ignored_cooldown.into(),
            ignored_idle: c.ignored_idle.into(),
            merged: c.merged.into(),
            speech_ends: c.speech_ends.into(),
            forced_ends: c.forced_ends.into(),
            errors: c.errors.into(),
            restarts: c.restarts.into(),
            resets: c.resets.into(),
            disconnects: c.disconnects.into(),
            heartbeats: c.heartbeats.into(),
            notes_created: c.notes_created.into(),
        }
    }
}

/// One listening period of one device on one tab.
pub struct VoiceSession(pub SessionView);

#[Object]
impl VoiceSession {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn state(&self) -> GqlVoiceState {
        self.0.machine.state().into()
    }
    async fn video_id(&self) -> Option<ID> {
        self.0.owner.video_id.map(ID::from)
    }
    async fn device_id(&self) -> ID {
        self.0.owner.device_id.into()
    }
    async fn tab_id(&self) -> i32 {
        self.0.owner.tab_id
    }
    async fn page_instance_id(&self) -> &str {
        &self.0.owner.page_instance_id
    }
    async fn last_applied_seq(&self) -> i64 {
        self.0.machine.last_applied_seq()
    }
    async fn counters(&self) -> VoiceCounters {
        self.0.machine.counters().into()
    }
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
}

#[derive(SimpleObject)]
pub struct VoiceEventAck {
    pub session_id: ID,
    pub applied_seq: i64,
    pub state: GqlVoiceState,
    pub outcome: AckOutcome,
    pub reason: Option<String>,
}

impl VoiceEventAck {
    fn new(session_id: Uuid, ack: EventAck) -> Self {
        let (outcome, reason) = outcome_parts(&ack.outcome);
        VoiceEventAck {
            session_id: session_id.into(),
            applied_seq: ack.applied_seq,
            state: ack.state.into(),
            outcome,
            reason,
        }
    }
}

#[derive(SimpleObject)]
pub struct ResumeResult {
    pub outcome: AckOutcome,
    pub reason: Option<String>,
    pub state: GqlVoiceState,
    pub applied_seq: i64,
    pub snapshot: VoiceSession,
}

/// What `voiceStatus` streams.
#[derive(SimpleObject)]
pub struct VoiceStatus {
    pub session_id: ID,
    pub state: GqlVoiceState,
    pub previous_state: Option<GqlVoiceState>,
    pub cause: String,
    pub seq: i64,
    pub counters: VoiceCounters,
    pub command: Option<VoiceCommand>,
    /// Why capture stops, or the backoff of a restart, when `command` says so.
    pub command_reason: Option<String>,
    pub restart_backoff_ms: Option<i64>,
    pub at: DateTime<Utc>,
}

impl From<StatusEvent> for VoiceStatus {
    fn from(status: StatusEvent) -> Self {
        let (command_reason, restart_backoff_ms) = match &status.command {
            Some(machine::Command::StopCapture { reason }) => {
                (Some(reason.as_str().to_owned()), None)
            }
            Some(machine::Command::RestartCapture { backoff_ms }) => (None, Some(*backoff_ms)),
            _ => (None, None),
        };
        VoiceStatus {
            session_id: status.session_id.into(),
            state: status.state.into(),
            previous_state: status.previous_state.map(Into::into),
            cause: status.cause,
            seq: status.seq,
            counters: status.counters.into(),
            command: status.command.as_ref().map(Into::into),
            command_reason,
            restart_backoff_ms,
            at: status.at,
        }
    }
}

#[derive(InputObject)]
pub struct StartVoiceSessionInput {
    pub video_id: Option<ID>,
    pub tab_id: i32,
    pub page_instance_id: String,
    /// Wake this idle session instead of starting a new one.
    pub resume_session_id: Option<ID>,
}

#[derive(InputObject, Clone)]
pub struct VoiceEventInput {
    pub session_id: ID,
    pub seq: i64,
    pub kind: VoiceEventKind,
    pub occurred_at: DateTime<Utc>,
    pub utterance_id: Option<String>,
    /// Seconds: the playhead when speech began.
    pub media_time: Option<f64>,
    pub video_playing: Option<bool>,
    pub duration_ms: Option<i64>,
    pub reason: Option<SpeechEndReason>,
    pub message: Option<String>,
}

/// What the client last knew of the session. A `sessionId` other than the resumed session's,
/// or a `seq` beyond what the server applied, answers `RESET`: the client adopts the snapshot
/// rather than replaying from a buffer that does not fit.
#[derive(InputObject)]
pub struct LastKnownStateInput {
    pub session_id: ID,
    pub state: GqlVoiceState,
    pub last_event_at: Option<DateTime<Utc>>,
    pub seq: i64,
}

#[derive(InputObject)]
pub struct ResumeVoiceSessionInput {
    pub session_id: ID,
    pub last_known_state: Option<LastKnownStateInput>,
    #[graphql(default)]
    pub events: Vec<VoiceEventInput>,
}

#[derive(InputObject)]
pub struct VoiceMetricsInput {
    pub session_id: ID,
    pub mean_speech_probability: f64,
    pub max_speech_probability: f64,
    pub frames: i32,
    pub latency_ms: f64,
}

/// Largest values accepted at the boundary; the machine guards the rest.
const MAX_UTTERANCE_ID: usize = 128;
const MAX_MEDIA_TIME_S: f64 = 60.0 * 60.0 * 24.0 * 7.0;
const MAX_DURATION_MS: i64 = 10 * 60 * 1000;
const MAX_ERROR_MESSAGE: usize = 2000;

/// Checks one event's fields for its kind and builds the machine's event.
pub fn parse_event(input: &VoiceEventInput, prefix: &str) -> AppResult<machine::VoiceEvent> {
    let field = |name: &str| format!("{prefix}{name}");
    if input.seq < 1 {
        return Err(AppError::bad_input(field("seq"), "`seq` starts at 1"));
    }
    let utterance = || -> AppResult<String> {
        let id = input
            .utterance_id
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if id.is_empty() || id.chars().count() > MAX_UTTERANCE_ID {
            return Err(AppError::bad_input(
                field("utteranceId"),
                format!(
                    "`utteranceId` is required for this kind, 1 to {MAX_UTTERANCE_ID} characters"
                ),
            ));
        }
        Ok(id.to_owned())
    };
    let kind = match input.kind {
        VoiceEventKind::SpeechStart => {
            let media_time = input.media_time.ok_or_else(|| {
                AppError::bad_input(
                    field("mediaTime"),
                    "`mediaTime` is required for SPEECH_START",
                )
            })?;
            if !media_time.is_finite() || !(0.0..=MAX_MEDIA_TIME_S).contains(&media_time) {
                return Err(AppError::bad_input(
                    field("mediaTime"),
                    format!("`mediaTime` must be between 0 and {MAX_MEDIA_TIME_S} seconds"),
                ));
            }
            EventKind::SpeechStart {
                utterance_id: utterance()?,
                media_time,
                video_playing: input.video_playing.unwrap_or(false),
            }
        }
        VoiceEventKind::SpeechEnd => {
            let duration_ms = input.duration_ms.ok_or_else(|| {
                AppError::bad_input(
                    field("durationMs"),
                    "`durationMs` is required for SPEECH_END",
                )
            })?;
            if !(0..=MAX_DURATION_MS).contains(&duration_ms) {
                return Err(AppError::bad_input(
                    field("durationMs"),
                    format!("`durationMs` must be between 0 and {MAX_DURATION_MS}"),
                ));
            }
            EventKind::SpeechEnd {
                utterance_id: utterance()?,
                duration_ms,
                reason: input.reason.unwrap_or(SpeechEndReason::NaturalEnd).into(),
            }
        }
        VoiceEventKind::Heartbeat => EventKind::Heartbeat,
        VoiceEventKind::Error => {
            let message = input.message.clone().unwrap_or_default();
            if message.chars().count() > MAX_ERROR_MESSAGE {
                return Err(AppError::bad_input(
                    field("message"),
                    format!("`message` must have at most {MAX_ERROR_MESSAGE} characters"),
                ));
            }
            EventKind::Error { message }
        }
    };
    Ok(machine::VoiceEvent {
        seq: input.seq,
        occurred_at: input.occurred_at.timestamp_millis(),
        kind,
    })
}

/// The caller as a device whose `server_voice_session` flag is on.
async fn voice_device(ctx: &Context<'_>) -> AppResult<(Viewer, Uuid)> {
    let viewer = ctx.viewer()?.clone();
    let device = viewer.device_id().ok_or_else(|| {
        AppError::forbidden("voice sessions are driven by a device token (the extension)")
    })?;
    let app = ctx.state();
    let features = app.features.features_for(&app.db, viewer.user_id).await?;
    if !features
        .get(flags::SERVER_VOICE_SESSION)
        .copied()
        .unwrap_or(false)
    {
        return Err(AppError::Refused {
            code: "PROTOCOL_V1_ACTIVE",
            status: axum::http::StatusCode::CONFLICT,
            message: "protocol v1 is active for this account: the client runs its own voice loop"
                .into(),
        });
    }
    Ok((viewer, device))
}

/// The live session `id` of the caller's device.
/// The caller's live session `id`, driven by this device. One that runs on another node is
/// claimed here: its device has come to this node.
async fn driven_session(
    app: &AppState,
    id: &ID,
    field: &str,
    device: Uuid,
    user: Uuid,
) -> AppResult<SessionHandle> {
    let id = parse_id(id, field)?;
    let handle = registry::local_or_adopted(app, id, user)
        .await?
        .filter(|h| h.owner.user_id == user)
        .ok_or_else(|| AppError::not_found("live voice session"))?;
    if handle.owner.device_id != device {
        return Err(AppError::forbidden(
            "only the device that started a voice session drives it",
        ));
    }
    Ok(handle)
}

fn socket_of(ctx: &Context<'_>) -> Option<Uuid> {
    ctx.data_opt::<SocketSession>().map(|s| s.socket_id)
}

#[derive(Default)]
pub struct VoiceQuery;

#[Object]
impl VoiceQuery {
    /// One of the caller's sessions.
    async fn voice_session(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<VoiceSession> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        let view = registry::view(ctx.state(), id)
            .await?
            .filter(|v| v.owner.user_id == viewer.user_id)
            .ok_or_else(|| AppError::not_found("voice session"))?;
        Ok(VoiceSession(view))
    }

    /// The caller's sessions, newest first; `active` keeps only live (or only ended) ones.
    async fn voice_sessions(
        &self,
        ctx: &Context<'_>,
        active: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, VoiceSession>> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let page = Page::<(DateTime<Utc>, Uuid)>::parse(
            first,
            after.as_deref(),
            app.config.max_page_size,
        )?;
        let rows = store::page_for_user(
            &app.db,
            viewer.user_id,
            active,
            page.after,
            page.fetch_limit(),
        )
        .await?;
        let (rows, has_next) = split_page(rows, page.first);
        let mut connection = Connection::new(page.after.is_some(), has_next);
        for row in rows {
            let cursor = encode_cursor(&(row.started_at, row.id));
            let view = registry::view_of_row(app, row).await?;
            connection.edges.push(Edge::new(cursor, VoiceSession(view)));
        }
        Ok(connection)
    }
}

#[derive(Default)]
pub struct VoiceMutation;

#[Object]
impl VoiceMutation {
    /// Starts listening on a tab (closing the user's previous session), or wakes an idle one.
    async fn start_voice_session(
        &self,
        ctx: &Context<'_>,
        input: StartVoiceSessionInput,
    ) -> async_graphql::Result<VoiceSession> {
        Ok(recorded(
            ctx,
            "startVoiceSession",
            start_voice_session(ctx, input).await,
        )?)
    }

    /// One sequenced hardware event.
    async fn voice_event(
        &self,
        ctx: &Context<'_>,
        input: VoiceEventInput,
    ) -> async_graphql::Result<VoiceEventAck> {
        Ok(recorded(ctx, "voiceEvent", voice_event(ctx, input).await)?)
    }

    /// Reattaches a session after a reconnect and replays the client's buffered events.
    async fn resume_voice_session(
        &self,
        ctx: &Context<'_>,
        input: ResumeVoiceSessionInput,
    ) -> async_graphql::Result<ResumeResult> {
        Ok(recorded(
            ctx,
            "resumeVoiceSession",
            resume_voice_session(ctx, input).await,
        )?)
    }

    /// Ends the session; capture stops.
    async fn stop_voice_session(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
    ) -> async_graphql::Result<VoiceSession> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let id = parse_id(&session_id, "sessionId")?;
        if let Some(handle) = app
            .voice
            .get(id)
            .filter(|h| h.owner.user_id == viewer.user_id)
        {
            handle
                .ask(|reply| Message::Stop {
                    reason: machine::StopReason::UserStopped,
                    reply: Some(reply),
                })
                .await?;
        }
        // Stopping an ended session is not an error: it answers the session as it ended.
        let view = registry::view(app, id)
            .await?
            .filter(|v| v.owner.user_id == viewer.user_id)
            .ok_or_else(|| AppError::not_found("voice session"))?;
        Ok(VoiceSession(view))
    }

    /// Aggregated VAD measurements, at most once a second per session; never replayed.
    async fn report_voice_metrics(
        &self,
        ctx: &Context<'_>,
        input: VoiceMetricsInput,
    ) -> async_graphql::Result<bool> {
        Ok(recorded(
            ctx,
            "reportVoiceMetrics",
            report_voice_metrics(ctx, input).await,
        )?)
    }
}

async fn start_voice_session(
    ctx: &Context<'_>,
    input: StartVoiceSessionInput,
) -> AppResult<VoiceSession> {
    let (viewer, device) = voice_device(ctx).await?;
    let app = ctx.state();
    if let Some(resume) = &input.resume_session_id {
        let handle = driven_session(app, resume, "resumeSessionId", device, viewer.user_id).await?;
        let socket = socket_of(ctx);
        let view = handle
            .ask(|reply| Message::Restart { socket, reply })
            .await?;
        // Waking a session is a start too: its tab takes the context back if another took it.
        if let Some(video_id) = view.owner.video_id {
            let video = crate::platforms::store::find_for_user(&app.db, viewer.user_id, video_id)
                .await?
                .ok_or_else(|| AppError::not_found("video"))?;
            claim_for_session(app, viewer.user_id, view.owner.tab(), video, view.id).await?;
        }
        return Ok(VoiceSession(view));
    }
    let tab = Tab::parse(device, input.tab_id, &input.page_instance_id)?;
    let video_id = input
        .video_id
        .as_ref()
        .map(|id| parse_id(id, "videoId"))
        .transpose()?;
    let video = match video_id {
        // Only a video of the caller's (from detectVideo) can be reviewed in their session.
        Some(id) => Some(
            crate::platforms::store::find_for_user(&app.db, viewer.user_id, id)
                .await?
                .ok_or_else(|| AppError::not_found("video"))?,
        ),
        None => None,
    };
    let owner = SessionOwner {
        user_id: viewer.user_id,
        device_id: device,
        video_id,
        tab_id: tab.tab_id,
        page_instance_id: tab.page_instance_id.clone(),
    };
    let view = registry::start(app, owner, socket_of(ctx)).await?;
    // Without a video there is nothing to claim (PROTOCOL.md 8.5, docs/video-context.md).
    if let Some(video) = video {
        claim_for_session(app, viewer.user_id, tab, video, view.id).await?;
    }
    Ok(VoiceSession(view))
}

/// The tab listening now owns the video context, with `session` renewing its lease.
async fn claim_for_session(
    app: &AppState,
    user_id: Uuid,
    tab: Tab,
    video: lossy_entities::videos::Model,
    session: Uuid,
) -> AppResult<()> {
    let claim = Claim {
        tab,
        viewing: Viewing {
            video_id: video.id,
            platform: video.platform.clone(),
            current_url: video.last_url.clone(),
        },
        session_id: Some(session),
    };
    context::registry::claim(app, user_id, claim, video).await?;
    Ok(())
}

async fn voice_event(ctx: &Context<'_>, input: VoiceEventInput) -> AppResult<VoiceEventAck> {
    let (viewer, device) = voice_device(ctx).await?;
    let handle = driven_session(
        ctx.state(),
        &input.session_id,
        "sessionId",
        device,
        viewer.user_id,
    )
    .await?;
    let event = parse_event(&input, "")?;
    let received = std::time::Instant::now();
    let ack = handle
        .ask(|reply| Message::Event {
            event,
            received,
            reply,
        })
        .await?;
    ctx.state()
        .analytics
        .observe(crate::analytics::Series::VoiceEvent, received.elapsed());
    if ack.outcome.advances_seq() {
        // A taken event is the session's sign of life, which keeps its tab's video context.
        ctx.state().contexts.renew(viewer.user_id, handle.id);
    }
    Ok(VoiceEventAck::new(handle.id, ack))
}

async fn resume_voice_session(
    ctx: &Context<'_>,
    input: ResumeVoiceSessionInput,
) -> AppResult<ResumeResult> {
    let (viewer, device) = voice_device(ctx).await?;
    if input.events.len() > MAX_RESUME_EVENTS {
        return Err(AppError::bad_input(
            "events",
            format!("a resume carries at most {MAX_RESUME_EVENTS} events"),
        ));
    }
    let handle = driven_session(
        ctx.state(),
        &input.session_id,
        "sessionId",
        device,
        viewer.user_id,
    )
    .await?;
    let mut events = Vec::with_capacity(input.events.len());
    for (i, event) in input.events.iter().enumerate() {
        if parse_id(&event.session_id, &format!("events[{i}].sessionId"))? != handle.id {
            return Err(AppError::bad_input(
                format!("events[{i}].sessionId"),
                "every replayed event must belong to the resumed session",
            ));
        }
        events.push(parse_event(event, &format!("events[{i}]."))?);
    }
    let known = input
        .last_known_state
        .as_ref()
        .map(|known| {
            Ok::<_, AppError>(KnownState {
                session_id: parse_id(&known.session_id, "lastKnownState.sessionId")?,
                seq: known.seq,
            })
        })
        .transpose()?;
    let socket = socket_of(ctx);
    let resumed = handle
        .ask(|reply| Message::Resume {
            socket,
            known,
            events,
            reply,
        })
        .await?;
    // The session's client is back: a sign of life, as an event would be.
    ctx.state().contexts.renew(viewer.user_id, handle.id);
    let (outcome, reason) = outcome_parts(&resumed.outcome);
    Ok(ResumeResult {
        outcome,
        reason,
        state: resumed.view.machine.state().into(),
        applied_seq: resumed.view.machine.last_applied_seq(),
        snapshot: VoiceSession(resumed.view),
    })
}

async fn report_voice_metrics(ctx: &Context<'_>, input: VoiceMetricsInput) -> AppResult<bool> {
    let (viewer, device) = voice_device(ctx).await?;
    let app = ctx.state();
    let handle =
        driven_session(app, &input.session_id, "sessionId", device, viewer.user_id).await?;
    for (name, value) in [
        ("meanSpeechProbability", input.mean_speech_probability),
        ("maxSpeechProbability", input.max_speech_probability),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(AppError::bad_input(
                name,
                format!("`{name}` must be between 0 and 1"),
            ));
        }
    }
    if input.frames < 0 {
        return Err(AppError::bad_input(
            "frames",
            "`frames` must not be negative",
        ));
    }
    if !input.latency_ms.is_finite() || !(0.0..=60_000.0).contains(&input.latency_ms) {
        return Err(AppError::bad_input(
            "latencyMs",
            "`latencyMs` must be between 0 and 60000",
        ));
    }
    if !app.voice.allow_metrics(handle.id) {
        return Err(AppError::RateLimited(
            "voice metrics are accepted at most once a second".into(),
        ));
    }
    metrics::histogram!("lossy_vad_latency_seconds").record(input.latency_ms / 1000.0);
    metrics::histogram!("lossy_vad_mean_speech_probability").record(input.mean_speech_probability);
    Ok(true)
}

/// Records a refused voice call in telemetry (code and field), then passes the answer on.
fn recorded<T>(ctx: &Context<'_>, operation: &'static str, answer: AppResult<T>) -> AppResult<T> {
    if let Err(err) = &answer {
        let field = match err {
            AppError::BadUserInput { field, .. } => field.clone(),
            _ => None,
        };
        let mut event = ServerEvent::new(names::VOICE_REFUSED, TelemetryLevel::Warn)
            .properties(json!({ "operation": operation, "code": err.code(), "field": field }));
        if let Ok(viewer) = ctx.viewer() {
            event = event.user(viewer.user_id);
            if let Some(device) = viewer.device_id() {
                event = event.device(device);
            }
        }
        ctx.state().telemetry.record(event);
    }
    answer
}

#[derive(Default)]
pub struct VoiceSubscription;

#[Subscription]
impl VoiceSubscription {
    /// Status and commands of the caller's sessions (one session when `sessionId` is given),
    /// starting with each live session's current status (cause `RESYNC`), which is sent again
    /// instead of stale commands when the subscriber falls behind.
    async fn voice_status(
        &self,
        ctx: &Context<'_>,
        session_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = VoiceStatus> + use<>> {
        let viewer = ctx.viewer()?;
        let user = viewer.user_id;
        let only = session_id
            .as_ref()
            .map(|id| parse_id(id, "sessionId"))
            .transpose()?;
        if let Some(id) = only {
            let owned = store::find(&ctx.state().db, id)
                .await?
                .is_some_and(|row| row.user_id == user);
            if !owned {
                return Err(AppError::not_found("voice session").into());
            }
        }
        let stream = ctx.subscribed(status::subscribe(ctx.state(), user, only).boxed());
        Ok(stream.map(VoiceStatus::from))
    }
}
