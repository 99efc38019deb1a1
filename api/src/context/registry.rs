//! The shell around the ownership rules: reads the row, applies a rule, writes the row if it
//! still has the version read, keeps the lease book in step, then publishes the events on
//! `VideoContexts::events`. Also the sweeper that lapses expired leases, and the leases'
//! recovery at start-up.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use lossy_entities::videos;
use uuid::Uuid;

use super::lease::{Lease, Leases};
use super::ownership::{Change, Claim, ContextEventKind, Ownership, Tab, VideoContext, Viewing};
use super::store;
use crate::bus::KeyedTopic;
use crate::error::{AppError, AppResult};
use crate::platforms;
use crate::state::AppState;
use crate::voice;
use crate::voice::clock::SessionClock;
use crate::voice::service::Moving;

/// Reads and writes one change may take when other writers keep getting there first.
const ATTEMPTS: usize = 3;

/// How often the sweeper looks for lapsed leases, as a fraction of the lease: a lease lapses
/// at most an eighth of its length late (at most [`MAX_SWEEP_PERIOD`]).
const SWEEPS_PER_LEASE: u32 = 8;
const MAX_SWEEP_PERIOD: Duration = Duration::from_secs(1);
const MIN_SWEEP_PERIOD: Duration = Duration::from_millis(10);

/// A context as clients see it: one that names a video, with that video, and its lease as
/// this server holds it.
#[derive(Debug, Clone)]
pub struct ContextView {
    pub version: i64,
    pub viewing: Viewing,
    pub ownership: Option<Ownership>,
    pub video: Arc<videos::Model>,
}

impl ContextView {
    /// `None` for a context that names no video.
    fn new(context: VideoContext, video: Arc<videos::Model>) -> Option<ContextView> {
        Some(ContextView {
            version: context.version,
            viewing: context.viewing?,
            ownership: context.ownership,
            video,
        })
    }
}

/// What `videoContextEvents` streams, by user.
#[derive(Debug, Clone)]
pub struct ContextEvent {
    pub user_id: Uuid,
    pub kind: ContextEventKind,
    /// The context after the change; `None` for `Cleared`, which leaves no context.
    pub context: Option<ContextView>,
}

/// The video contexts' live leases and the clock they run on (`AppState::contexts`).
pub struct VideoContexts {
    /// Changes of each user's context (`videoContextEvents`), by user.
    pub events: KeyedTopic<Uuid, ContextEvent>,
    leases: Mutex<Leases>,
    lease: chrono::Duration,
    /// Wall time that advances with tokio's clock, so tests can pause it.
    clock: SessionClock,
}

impl VideoContexts {
    pub fn new(lease: Duration) -> VideoContexts {
        VideoContexts {
            events: KeyedTopic::new("video_context"),
            leases: Mutex::default(),
            lease: chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX),
            clock: SessionClock::default(),
        }
    }

    /// Now, in microseconds as the database keeps it.
    fn now(&self) -> DateTime<Utc> {
        self.clock.wall(self.clock.now()).trunc_subsecs(6)
    }

    /// A sign of life of `session` (a `voiceEvent` it accepted): renews its user's lease if
    /// that session is the one linked to the context. Memory only; see [`super::lease`].
    pub fn renew(&self, user_id: Uuid, session_id: Uuid) {
        let now = self.now();
        if let Ok(mut leases) = self.leases.lock() {
            leases.renew(user_id, session_id, now, self.lease);
        }
    }

    fn grant(&self, context: &VideoContext) {
        let Some(ownership) = &context.ownership else {
            return;
        };
        let lease = Lease {
            version: context.version,
            session_id: ownership.session_id,
            expires_at: ownership.lease_expires_at,
        };
        if let Ok(mut leases) = self.leases.lock() {
            leases.grant(context.user_id, lease);
        }
    }

    fn end(&self, user_id: Uuid, version: i64) {
        if let Ok(mut leases) = self.leases.lock() {
            leases.end(user_id, version);
        }
    }

    fn lapsed(&self) -> Vec<(Uuid, i64)> {
        let now = self.now();
        self.leases
            .lock()
            .map(|leases| leases.lapsed(now))
            .unwrap_or_default()
    }

    /// `context` with its lease deadline as this server holds it (heartbeats move it without
    /// writing the row).
    fn with_live_lease(&self, mut context: VideoContext) -> VideoContext {
        let live = self.leases.lock().ok().and_then(|l| l.get(context.user_id));
        if let (Some(ownership), Some(lease)) = (context.ownership.as_mut(), live)
            && lease.version == context.version
        {
            ownership.lease_expires_at = lease.expires_at;
        }
        context
    }

    fn sweep_period(&self) -> Duration {
        (self.lease.to_std().unwrap_or(MAX_SWEEP_PERIOD) / SWEEPS_PER_LEASE)
            .clamp(MIN_SWEEP_PERIOD, MAX_SWEEP_PERIOD)
    }
}

/// The caller's context, or `None` when they have none that names a video.
pub async fn current(app: &AppState, user_id: Uuid) -> AppResult<Option<ContextView>> {
    let context = store::load(&app.db, user_id).await?;
    view(app, app.contexts.with_live_lease(context)).await
}

/// `claim.tab` owns the context for `video` (the caller checked it is the user's), and every
/// voice session of the user on another tab ends once its utterance in flight is submitted
/// (PROTOCOL.md 7).
pub async fn claim(
    app: &AppState,
    user_id: Uuid,
    claim: Claim,
    video: videos::Model,
) -> AppResult<ContextView> {
    let tab = claim.tab.clone();
    let now = app.contexts.now();
    let lease = app.contexts.lease;
    let change = apply(app, user_id, now, |context| {
        Some(context.claim(claim.clone(), now, lease))
    })
    .await?
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a claim answered no change")))?;
    app.contexts.grant(&change.context);
    voice::service::end_sessions_of_user(app, user_id, &tab, Moving::ContextClaimed).await;
    let view = ContextView::new(change.context.clone(), Arc::new(video))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a claimed context names no video")))?;
    publish(app, &change, Some(&view));
    Ok(view)
}

/// The owner `tab` gives the context up; any other tab's release changes nothing. Answers the
/// context as it is afterwards.
pub async fn release(app: &AppState, user_id: Uuid, tab: &Tab) -> AppResult<Option<ContextView>> {
    let now = app.contexts.now();
    match apply(app, user_id, now, |context| context.release(tab)).await? {
        Some(change) => {
            app.contexts.end(user_id, change.context.version);
            publish_kept_video(app, change).await
        }
        None => current(app, user_id).await,
    }
}

/// The video `video_id` is being deleted: a context naming it is cleared (`CONTEXT_CLEARED`).
/// Call it before deleting the row, whose foreign key would otherwise drop the context's video
/// silently.
pub async fn video_deleted(app: &AppState, user_id: Uuid, video_id: Uuid) -> AppResult<()> {
    let now = app.contexts.now();
    if let Some(change) = apply(app, user_id, now, |c| c.video_deleted(video_id)).await? {
        app.contexts.end(user_id, change.context.version);
        publish(app, &change, None);
    }
    Ok(())
}

/// Gives every owner stored in the table a fresh lease from now: after a restart, the owners'
/// sessions need time to reconnect before their leases can be judged.
pub async fn restore(app: &AppState) -> AppResult<usize> {
    let now = app.contexts.now();
    let owned = store::owned(&app.db).await?;
    for mut context in owned.iter().cloned() {
        if let Some(ownership) = context.ownership.as_mut() {
            ownership.lease_expires_at = now + app.contexts.lease;
        }
        app.contexts.grant(&context);
    }
    Ok(owned.len())
}

/// The background task that lapses expired leases (`Available` to every tab of the user),
/// until the server stops.
pub async fn lapse_expired_leases(app: AppState) {
    let mut sweep = tokio::time::interval(app.contexts.sweep_period());
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let shutdown = app.shutdown.clone();
    loop {
        tokio::select! {
            () = shutdown.stopping() => return,
            _ = sweep.tick() => {}
        }
        for (user_id, version) in app.contexts.lapsed() {
            if let Err(err) = lapse(&app, user_id, version).await {
                // The lease stays in the book, so the next sweep tries again.
                tracing::warn!(user = %user_id, error = ?err, "could not lapse a video context lease");
            }
        }
    }
}

async fn lapse(app: &AppState, user_id: Uuid, version: i64) -> AppResult<()> {
    let now = app.contexts.now();
    // Only the version the lease was granted for lapses: a claim since then has its own lease.
    let change = apply(app, user_id, now, |context| {
        (context.version == version)
            .then(|| context.lapse())
            .flatten()
    })
    .await?;
    let ended = change.as_ref().map_or(version, |c| c.context.version);
    app.contexts.end(user_id, ended);
    if let Some(change) = change {
        metrics::counter!("lossy_video_context_lapses_total").increment(1);
        publish_kept_video(app, change).await?;
    }
    Ok(())
}

/// Reads the context, applies `rule`, and stores the result if it is visible and the row still
/// has the version read; reads again when another writer came first. `None`: the rule changed
/// nothing.
async fn apply(
    app: &AppState,
    user_id: Uuid,
    now: DateTime<Utc>,
    rule: impl Fn(&VideoContext) -> Option<Change>,
) -> AppResult<Option<Change>> {
    for _ in 0..ATTEMPTS {
        let context = store::load(&app.db, user_id).await?;
        let Some(change) = rule(&context) else {
            return Ok(None);
        };
        if !change.is_visible()
            || store::save(&app.db, &change.context, context.version, now).await?
        {
            return Ok(Some(change));
        }
    }
    Err(AppError::Conflict(
        "the video context kept changing while this was applied; try again".into(),
    ))
}

/// Publishes a change that kept its video (release, lapse) and answers its view.
async fn publish_kept_video(app: &AppState, change: Change) -> AppResult<Option<ContextView>> {
    let view = view(app, change.context.clone()).await?;
    publish(app, &change, view.as_ref());
    Ok(view)
}

/// The context with its video; `None` when it names none (or the video is gone).
async fn view(app: &AppState, context: VideoContext) -> AppResult<Option<ContextView>> {
    let Some(viewing) = &context.viewing else {
        return Ok(None);
    };
    let video = platforms::store::find_for_user(&app.db, context.user_id, viewing.video_id).await?;
    Ok(video.and_then(|video| ContextView::new(context, Arc::new(video))))
}

fn publish(app: &AppState, change: &Change, view: Option<&ContextView>) {
    for kind in &change.events {
        let event = ContextEvent {
            user_id: change.context.user_id,
            kind: *kind,
            context: view.cloned(),
        };
        app.contexts.events.publish(change.context.user_id, event);
    }
}
