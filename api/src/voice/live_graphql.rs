//! The admin console's live sessions: `liveSessions(first)` and `liveSessionsChanged(first)`,
//! read from this server's [`LiveBoard`](super::live::LiveBoard) with their users and video
//! titles loaded in two queries whatever the number of sessions.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::{Context, ID, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use lossy_entities::{users, videos};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::graphql::GqlVoiceState;
use super::live::{self, LiveEntry};
use crate::auth::graphql::User;
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::state::AppState;

/// Sessions listed when `first` is not given.
const DEFAULT_FIRST: usize = 50;
/// Most sessions one answer lists.
const MAX_FIRST: usize = 200;
/// `liveSessionsChanged` answers at most this often.
const COALESCE: Duration = Duration::from_secs(1);

/// How many live sessions are in one state.
#[derive(SimpleObject)]
pub struct LiveSessionCount {
    pub state: GqlVoiceState,
    pub count: i32,
}

/// A voice session running on a server now.
#[derive(SimpleObject)]
pub struct LiveSession {
    pub id: ID,
    pub user: User,
    pub video_id: Option<ID>,
    pub video_title: Option<String>,
    pub state: GqlVoiceState,
    pub started_at: DateTime<Utc>,
    pub last_event_at: Option<DateTime<Utc>>,
    /// The server process holding the session.
    pub node: String,
}

/// The live voice sessions of this server.
#[derive(SimpleObject)]
pub struct LiveSessions {
    /// When this was read.
    pub at: DateTime<Utc>,
    pub total: i32,
    /// Every VoiceState except CLOSED, zeros included, in enum order.
    pub by_state: Vec<LiveSessionCount>,
    /// Most recently active first; at most `first` (default 50, max 200).
    pub sessions: Vec<LiveSession>,
}

fn parse_first(first: Option<i32>) -> AppResult<usize> {
    match first {
        None => Ok(DEFAULT_FIRST),
        Some(n) if n >= 1 && n as usize <= MAX_FIRST => Ok(n as usize),
        Some(n) => Err(AppError::bad_input(
            "first",
            format!("`first` must be between 1 and {MAX_FIRST} (got {n})"),
        )),
    }
}

/// Reads the board now and loads the listed sessions' users and video titles (two queries,
/// none when nothing is live).
pub async fn live_sessions(app: &AppState, first: usize) -> AppResult<LiveSessions> {
    let summary = live::summary(app.voice.live.entries(), first, Utc::now());
    let user_ids: Vec<Uuid> = summary.sessions.iter().map(|s| s.user_id).collect();
    let video_ids: Vec<Uuid> = summary.sessions.iter().filter_map(|s| s.video_id).collect();
    let mut users: HashMap<Uuid, users::Model> = HashMap::new();
    if !user_ids.is_empty() {
        users = users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(&app.db)
            .await?
            .into_iter()
            .map(|user| (user.id, user))
            .collect();
    }
    let mut titles: HashMap<Uuid, Option<String>> = HashMap::new();
    if !video_ids.is_empty() {
        titles = videos::Entity::find()
            .select_only()
            .column(videos::Column::Id)
            .column(videos::Column::Title)
            .filter(videos::Column::Id.is_in(video_ids))
            .into_tuple::<(Uuid, Option<String>)>()
            .all(&app.db)
            .await?
            .into_iter()
            .collect();
    }
    let sessions = summary
        .sessions
        .into_iter()
        .filter_map(|entry: LiveEntry| {
            // A user deleted this instant: their session is ending with them.
            let user = users.get(&entry.user_id)?.clone();
            Some(LiveSession {
                id: entry.id.into(),
                user: user.into(),
                video_id: entry.video_id.map(ID::from),
                video_title: entry
                    .video_id
                    .and_then(|video| titles.get(&video).cloned().flatten()),
                state: entry.state.into(),
                started_at: entry.started_at,
                last_event_at: entry.last_event_at,
                node: app.node.to_string(),
            })
        })
        .collect();
    Ok(LiveSessions {
        at: summary.at,
        total: summary.total as i32,
        by_state: summary
            .by_state
            .into_iter()
            .map(|(state, count)| LiveSessionCount {
                state: state.into(),
                count: count as i32,
            })
            .collect(),
        sessions,
    })
}

#[derive(Default)]
pub struct LiveQuery;

#[Object]
impl LiveQuery {
    /// Admin: the voice sessions live on this server now, counted by state, most recently
    /// active first.
    async fn live_sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<LiveSessions> {
        ctx.admin()?;
        let first = parse_first(first)?;
        Ok(live_sessions(ctx.state(), first).await?)
    }
}

#[derive(Default)]
pub struct LiveSubscription;

#[Subscription]
impl LiveSubscription {
    /// Admin: the current LiveSessions at once, then again whenever a session started,
    /// changed state or ended, at most once a second.
    async fn live_sessions_changed(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<LiveSessions>> + use<>>
    {
        ctx.admin()?;
        let first = parse_first(first)?;
        let app = ctx.state().clone();
        let mut changes = app.voice.live.changes();
        let stream = async_stream::stream! {
            let mut last_sent: Option<tokio::time::Instant> = None;
            loop {
                if let Some(sent) = last_sent {
                    tokio::time::sleep_until(sent + COALESCE).await;
                    if changes.changed().await.is_err() {
                        break;
                    }
                }
                // Changes until this read are in the answer; later ones wake the next.
                changes.mark_unchanged();
                last_sent = Some(tokio::time::Instant::now());
                yield live_sessions(&app, first).await.map_err(async_graphql::Error::from);
            }
        };
        Ok(ctx.subscribed(stream.boxed()))
    }
}
