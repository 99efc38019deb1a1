//! `videoContext`, `claimVideoContext`, `releaseVideoContext` and `videoContextEvents`
//! (PROTOCOL.md section 7). A user only ever sees and changes their own context; only a device
//! (a tab of the extension) can own it.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::ownership::{Claim, ContextEventKind, Tab, Viewing};
use super::registry::{self, ContextEvent, ContextView};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::parse_id;
use crate::platforms::catalog::TRACKING_PARAMETERS;
use crate::platforms::graphql::Video;
use crate::platforms::page_url::PageUrl;

/// Which tab owns the voice capture of the user, on which of their videos.
pub struct VideoContext(pub ContextView);

#[Object]
impl VideoContext {
    /// The owner tab's voice session, whose accepted events renew the lease.
    async fn session_id(&self) -> Option<ID> {
        self.ownership().and_then(|o| o.session_id).map(ID::from)
    }

    async fn video(&self) -> Video {
        Video::new(self.0.video.as_ref().clone())
    }

    async fn platform(&self) -> &str {
        &self.0.viewing.platform
    }

    /// The page the video was claimed on, without tracking parameters.
    async fn current_url(&self) -> &str {
        &self.0.viewing.current_url
    }

    /// The tab holding the context; null when it is available to any tab.
    async fn owner(&self) -> Option<VideoContextOwner> {
        self.ownership().map(|o| VideoContextOwner {
            device_id: o.tab.device_id.into(),
            tab_id: o.tab.tab_id,
            page_instance_id: o.tab.page_instance_id.clone(),
        })
    }

    /// When the owner tab claimed it (a re-claim by the same tab keeps this).
    async fn claimed_at(&self) -> Option<DateTime<Utc>> {
        self.ownership().map(|o| o.claimed_at)
    }

    /// When the owner loses the context unless its voice session shows signs of life or it
    /// claims again.
    async fn lease_expires_at(&self) -> Option<DateTime<Utc>> {
        self.ownership().map(|o| o.lease_expires_at)
    }

    /// Bumped by every change sent on `videoContextEvents`; a client drops anything older
    /// than what it has.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

impl VideoContext {
    fn ownership(&self) -> Option<&super::ownership::Ownership> {
        self.0.ownership.as_ref()
    }
}

#[derive(SimpleObject)]
pub struct VideoContextOwner {
    pub device_id: ID,
    pub tab_id: i32,
    pub page_instance_id: String,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum VideoContextEventKind {
    ContextUpdated,
    ContextCleared,
    ContextTaken,
    ContextAvailable,
}

impl From<ContextEventKind> for VideoContextEventKind {
    fn from(kind: ContextEventKind) -> Self {
        match kind {
            ContextEventKind::Updated => VideoContextEventKind::ContextUpdated,
            ContextEventKind::Cleared => VideoContextEventKind::ContextCleared,
            ContextEventKind::Taken => VideoContextEventKind::ContextTaken,
            ContextEventKind::Available => VideoContextEventKind::ContextAvailable,
        }
    }
}

/// What `videoContextEvents` streams.
#[derive(SimpleObject)]
pub struct VideoContextEvent {
    pub kind: VideoContextEventKind,
    /// The context after the change; null for `CONTEXT_CLEARED`, which leaves none.
    pub context: Option<VideoContext>,
}

impl From<ContextEvent> for VideoContextEvent {
    fn from(event: ContextEvent) -> Self {
        VideoContextEvent {
            kind: event.kind.into(),
            context: event.context.map(VideoContext),
        }
    }
}

#[derive(InputObject)]
pub struct ClaimVideoContextInput {
    /// One of the caller's videos (from `detectVideo`).
    pub video_id: ID,
    pub tab_id: i32,
    pub page_instance_id: String,
    /// The page the video plays on.
    pub current_url: String,
}

#[derive(InputObject)]
pub struct ReleaseVideoContextInput {
    pub tab_id: i32,
    pub page_instance_id: String,
}

/// The calling tab: only a device token names a device, and so a tab that can own the
/// context.
fn calling_tab(viewer: &Viewer, tab_id: i32, page_instance_id: &str) -> AppResult<Tab> {
    let device = viewer.device_id().ok_or_else(|| {
        AppError::forbidden("the video context is owned by a tab of the extension (a device token)")
    })?;
    Tab::parse(device, tab_id, page_instance_id)
}

#[derive(Default)]
pub struct ContextQuery;

#[Object]
impl ContextQuery {
    /// The caller's video context, or null when it names no video.
    async fn video_context(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<VideoContext>> {
        let viewer = ctx.viewer()?;
        let view = registry::current(ctx.state(), viewer.user_id).await?;
        Ok(view.map(VideoContext))
    }
}

#[derive(Default)]
pub struct ContextMutation;

#[Object]
impl ContextMutation {
    /// Makes the calling tab the owner of the caller's video context for one of their videos
    /// (the last active tab wins). The previous owner receives `CONTEXT_TAKEN`, and the
    /// caller's voice sessions on other tabs end once their utterance in flight is submitted.
    async fn claim_video_context(
        &self,
        ctx: &Context<'_>,
        input: ClaimVideoContextInput,
    ) -> async_graphql::Result<VideoContext> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let video_id = parse_id(&input.video_id, "videoId")?;
        let tab = calling_tab(viewer, input.tab_id, &input.page_instance_id)?;
        let current_url = PageUrl::parse(&input.current_url, TRACKING_PARAMETERS)
            .map_err(|err| AppError::bad_input("currentUrl", err.to_string()))?
            .without(&[]);
        let video = crate::platforms::store::find_for_user(&app.db, viewer.user_id, video_id)
            .await?
            .ok_or_else(|| AppError::not_found("video"))?;
        let claim = Claim {
            tab,
            viewing: Viewing {
                video_id,
                platform: video.platform.clone(),
                current_url,
            },
            session_id: None,
        };
        let view = registry::claim(app, viewer.user_id, claim, video).await?;
        Ok(VideoContext(view))
    }

    /// Gives the context up when the calling tab owns it: every tab of the caller receives
    /// `CONTEXT_AVAILABLE`. From any other tab it changes nothing (that tab no longer owns
    /// what it releases). Answers the context as it is afterwards, or null when there is none.
    async fn release_video_context(
        &self,
        ctx: &Context<'_>,
        input: ReleaseVideoContextInput,
    ) -> async_graphql::Result<Option<VideoContext>> {
        let viewer = ctx.viewer()?;
        let tab = calling_tab(viewer, input.tab_id, &input.page_instance_id)?;
        let view = registry::release(ctx.state(), viewer.user_id, &tab).await?;
        Ok(view.map(VideoContext))
    }
}

#[derive(Default)]
pub struct ContextSubscription;

#[Subscription]
impl ContextSubscription {
    /// Every change of the caller's video context, on every socket of theirs.
    async fn video_context_events(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = VideoContextEvent> + use<>> {
        let user: Uuid = ctx.viewer()?.user_id;
        let events = ctx.state().contexts.events.subscribe(user).boxed();
        Ok(ctx.subscribed(events).map(VideoContextEvent::from))
    }
}
