//! `resolveVideo`, `detectVideo`, `video` and `videos` (PROTOCOL.md section 7).

use async_graphql::connection::Connection;
use async_graphql::dataloader::{DataLoader, NoCache};
use async_graphql::{Context, ID, InputObject, Json, Object};
use chrono::{DateTime, Utc};
use lossy_entities::videos;
use uuid::Uuid;

use super::Platforms;
use super::catalog;
use super::identity::{GENERIC, VideoIdentity as Identity, checked_seconds};
use super::page_url::{PageUrl, UrlError};
use super::store::{self, PageDetails, VideoFilter, VideoStatus};
use crate::error::{AppError, AppResult};
use crate::flags;
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;
use crate::graphql_kit::parse_id;
use crate::notes::graphql::types::NoteSummary;
use crate::notes::graphql::{NoteConnection, NoteFilterInput, notes_of_video};
use crate::notes::loaders::{SummaryLoader, loaded};

/// Longest title kept, in characters.
const MAX_TITLE_CHARS: usize = 1000;
/// Longest `pageInstanceId`, in characters (as `startVoiceSession` takes it).
const MAX_PAGE_INSTANCE_ID: usize = 128;
/// Longest `search` of `videos(...)`, in characters.
const MAX_SEARCH_CHARS: usize = 200;

/// A video as the adapters see it; nothing stored.
pub struct VideoIdentity(Identity);

#[Object]
impl VideoIdentity {
    /// `youtube`, `vimeo`, `frameio`, `iconik`, `wipster`, `tiktok` or `generic`.
    async fn platform(&self) -> &str {
        self.0.platform
    }

    async fn external_id(&self) -> &str {
        &self.0.external_id
    }

    async fn canonical_url(&self) -> &str {
        &self.0.canonical_url
    }

    async fn embed_url(&self) -> &str {
        &self.0.embed_url
    }

    async fn thumbnail_url(&self) -> Option<&str> {
        self.0.thumbnail_url.as_deref()
    }

    /// Captures besides the id, such as Vimeo's unlisted `hash`.
    async fn extras(&self) -> Json<&std::collections::BTreeMap<String, String>> {
        Json(&self.0.extras)
    }

    /// The URL that opens the video at `seconds` on its platform.
    async fn deep_link(&self, seconds: f64) -> async_graphql::Result<String> {
        Ok(self.0.deep_link(checked_seconds(seconds, "seconds")?))
    }
}

/// One of the caller's videos.
pub struct Video(videos::Model);

impl Video {
    /// The GraphQL view of a row the caller was checked to own.
    pub(crate) fn new(row: videos::Model) -> Video {
        Video(row)
    }
}

#[Object]
impl Video {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn platform(&self) -> &str {
        &self.0.platform
    }

    async fn external_id(&self) -> &str {
        &self.0.external_id
    }

    async fn canonical_url(&self) -> &str {
        &self.0.canonical_url
    }

    async fn embed_url(&self) -> &str {
        &self.0.embed_url
    }

    async fn thumbnail_url(&self) -> Option<&str> {
        self.0.thumbnail_url.as_deref()
    }

    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    async fn duration_seconds(&self) -> Option<f64> {
        self.0.duration_seconds
    }

    async fn status(&self) -> async_graphql::Result<VideoStatus> {
        Ok(VideoStatus::parse(&self.0.status)?)
    }

    /// The page it was last detected on, without tracking parameters.
    async fn last_url(&self) -> &str {
        &self.0.last_url
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    async fn last_viewed_at(&self) -> DateTime<Utc> {
        self.0.last_viewed_at
    }

    /// The video's notes in video order, paged like `notes(videoId: ...)`.
    async fn notes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<NoteFilterInput>,
    ) -> async_graphql::Result<NoteConnection> {
        Ok(notes_of_video(ctx, self.0.user_id, self.0.id, first, after, filter).await?)
    }

    /// How the video's notes add up; read for a whole list of videos in one query.
    async fn note_summary(&self, ctx: &Context<'_>) -> async_graphql::Result<NoteSummary> {
        let loader = ctx.data_unchecked::<DataLoader<SummaryLoader, NoCache>>();
        let counts = loaded(loader.load_one(self.0.id).await)?.unwrap_or_default();
        Ok(NoteSummary::from(&counts))
    }

    /// The URL that opens the video at `seconds` on its platform.
    async fn deep_link(&self, seconds: f64) -> async_graphql::Result<String> {
        let seconds = checked_seconds(seconds, "seconds")?;
        // The canonical URL resolves to the same identity (a property test holds the catalog
        // to that); a video stored as generic stays generic.
        let identity = Platforms::get()?
            .resolve(&self.0.canonical_url, self.0.platform != GENERIC)
            .map_err(|err| AppError::Internal(anyhow::anyhow!("stored canonical URL: {err}")))?;
        Ok(identity.deep_link(seconds))
    }
}

#[derive(InputObject)]
pub struct DetectVideoInput {
    /// The page's URL.
    pub url: String,
    pub title: Option<String>,
    pub duration_seconds: Option<f64>,
    pub tab_id: Option<i32>,
    pub page_instance_id: Option<String>,
}

fn url_error(err: UrlError) -> AppError {
    AppError::bad_input("url", err.to_string())
}

fn resolve(url: &str, adapters: bool) -> AppResult<Identity> {
    Platforms::get()?.resolve(url, adapters).map_err(url_error)
}

impl DetectVideoInput {
    /// The page's details, checked; the title trimmed (an empty one is no title).
    fn page_details(self, page: &PageUrl) -> AppResult<PageDetails> {
        let url = page.without(&[]);
        let title = self
            .title
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        if title
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_TITLE_CHARS)
        {
            return Err(AppError::bad_input(
                "title",
                format!("`title` is longer than {MAX_TITLE_CHARS} characters"),
            ));
        }
        let duration_seconds = self
            .duration_seconds
            .map(|d| checked_seconds(d, "durationSeconds"))
            .transpose()?;
        if self.tab_id.is_some_and(|tab| tab < 0) {
            return Err(AppError::bad_input("tabId", "`tabId` must not be negative"));
        }
        if self
            .page_instance_id
            .as_ref()
            .is_some_and(|p| p.chars().count() > MAX_PAGE_INSTANCE_ID)
        {
            return Err(AppError::bad_input(
                "pageInstanceId",
                format!("`pageInstanceId` is longer than {MAX_PAGE_INSTANCE_ID} characters"),
            ));
        }
        Ok(PageDetails {
            url,
            title,
            duration_seconds,
            tab_id: self.tab_id,
            page_instance_id: self.page_instance_id,
        })
    }
}

#[derive(Default)]
pub struct PlatformsQuery;

#[Object]
impl PlatformsQuery {
    /// The identity of the video at `url` as the platform adapters see it; stores nothing.
    async fn resolve_video(
        &self,
        ctx: &Context<'_>,
        url: String,
    ) -> async_graphql::Result<VideoIdentity> {
        ctx.viewer()?;
        Ok(VideoIdentity(resolve(&url, true)?))
    }

    /// One of the caller's videos.
    async fn video(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Video> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        let row = store::find_for_user(&ctx.state().db, viewer.user_id, id)
            .await?
            .ok_or_else(|| AppError::not_found("video"))?;
        Ok(Video(row))
    }

    /// The caller's videos, most recently viewed first. `search` keeps those whose title or
    /// canonical URL contains the text, ignoring case (`%` and `_` match themselves); blank is
    /// no filter; at most 200 characters.
    async fn videos(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        platform: Option<String>,
        status: Option<VideoStatus>,
        search: Option<String>,
    ) -> async_graphql::Result<Connection<String, Video>> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let page = Page::<(DateTime<Utc>, Uuid)>::parse(
            first,
            after.as_deref(),
            app.config.max_page_size,
        )?;
        if let Some(platform) = &platform
            && platform != GENERIC
            && !Platforms::get()?.adapters().any(|a| a.id() == platform)
        {
            return Err(
                AppError::bad_input("platform", format!("unknown platform {platform:?}")).into(),
            );
        }
        let search = checked_search(search)?;
        let filter = VideoFilter {
            platform,
            status,
            search,
        };
        let rows = store::page_for_user(
            &app.db,
            viewer.user_id,
            &filter,
            page.after,
            page.fetch_limit(),
        )
        .await?;
        Ok(page.connection(rows, |row| (row.last_viewed_at, row.id), Video))
    }
}

/// The search text, trimmed; `None` when blank. Longer than 200 characters is refused.
fn checked_search(search: Option<String>) -> AppResult<Option<String>> {
    let Some(search) = search else {
        return Ok(None);
    };
    let search = search.trim();
    let length = search.chars().count();
    if length > MAX_SEARCH_CHARS {
        return Err(AppError::bad_input(
            "search",
            format!("`search` must be at most {MAX_SEARCH_CHARS} characters (got {length})"),
        ));
    }
    Ok((!search.is_empty()).then(|| search.to_owned()))
}

#[derive(Default)]
pub struct PlatformsMutation;

#[Object]
impl PlatformsMutation {
    /// Identifies the page's video and adds it to the caller's videos (or refreshes it). With
    /// the caller's `server_platform_adapters` flag off, the generic identity is stored.
    async fn detect_video(
        &self,
        ctx: &Context<'_>,
        input: DetectVideoInput,
    ) -> async_graphql::Result<Video> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let features = app.features.features_for(&app.db, viewer.user_id).await?;
        let adapters = features
            .get(flags::SERVER_PLATFORM_ADAPTERS)
            .copied()
            .unwrap_or(false);
        let page = PageUrl::parse(&input.url, catalog::TRACKING_PARAMETERS).map_err(url_error)?;
        let identity = Platforms::get()?.identify(&page, adapters);
        let details = input.page_details(&page)?;
        let row = store::upsert(&app.db, viewer.user_id, &identity, details).await?;
        Ok(Video(row))
    }
}
