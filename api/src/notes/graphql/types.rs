//! The GraphQL shapes of notes (PROTOCOL.md section 9): `Note`, the connection's counts, the
//! quality types and the `NoteEvent` union.

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, NoCache};
use async_graphql::{Context, ID, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use lossy_entities::{note_quality_decisions as decisions, notes, quality_adjustments, users};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::super::adjustments;
use super::super::listing::{Counts, NoteFilter};
use super::super::loaders::{DecisionLoader, loaded};
use super::super::quality::Decision;
use super::super::status::NoteStatus;
use super::super::store;
use super::super::stream::event::{NoteEvent, Sequenced};
use super::super::stream::offset;
use super::super::structurer::Category;
use crate::auth::graphql::User;
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::jobs::refine::RefinementState;

fn id(uuid: Uuid) -> ID {
    ID(uuid.to_string())
}

/// A note: what a reviewer said about a moment of a video.
#[derive(Clone)]
pub struct Note {
    row: Arc<notes::Model>,
    quality: Quality,
}

/// A note's quality decision: read with its list, or left to the data loader.
#[derive(Clone)]
enum Quality {
    Unread,
    Read(Option<Arc<decisions::Model>>),
}

impl Note {
    pub fn new(row: Arc<notes::Model>) -> Note {
        Note {
            row,
            quality: Quality::Unread,
        }
    }

    /// A note of a list that read its decisions at once (`None`: it has none).
    pub fn with_decision(row: notes::Model, decision: Option<decisions::Model>) -> Note {
        Note {
            row: Arc::new(row),
            quality: Quality::Read(decision.map(Arc::new)),
        }
    }
}

impl From<notes::Model> for Note {
    fn from(row: notes::Model) -> Self {
        Note::new(Arc::new(row))
    }
}

#[Object]
impl Note {
    async fn id(&self) -> ID {
        id(self.row.id)
    }

    async fn video_id(&self) -> ID {
        id(self.row.video_id)
    }

    /// The voice session it was spoken in; none for typed notes and protocol v1.
    async fn session_id(&self) -> Option<ID> {
        self.row.voice_session_id.map(id)
    }

    async fn utterance_id(&self) -> Option<&str> {
        self.row.utterance_id.as_deref()
    }

    /// Cleaned up by the structurer (or as typed).
    async fn text(&self) -> &str {
        &self.row.text
    }

    /// What the speech recognizer heard.
    async fn raw_transcript(&self) -> &str {
        &self.row.raw_transcript
    }

    async fn category(&self) -> async_graphql::Result<Category> {
        Ok(store::stored_category(&self.row.category)?)
    }

    async fn confidence(&self) -> f64 {
        self.row.confidence
    }

    /// Where in the video the reviewer started speaking, in seconds.
    async fn timestamp_seconds(&self) -> f64 {
        self.row.timestamp_seconds
    }

    /// Where the utterance ended, when it had a length.
    async fn end_seconds(&self) -> Option<f64> {
        self.row.end_seconds
    }

    async fn status(&self) -> async_graphql::Result<NoteStatus> {
        Ok(store::stored_status(&self.row.status)?)
    }

    /// Bumped by every change; a client keeps the highest it has seen.
    async fn version(&self) -> i64 {
        self.row.version
    }

    /// `builtin`, `llm` or `manual`.
    async fn structurer(&self) -> &str {
        &self.row.structurer
    }

    async fn source(&self) -> Option<&str> {
        self.row.source.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    async fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.row.deleted_at
    }

    async fn delete_reason(&self) -> Option<&str> {
        self.row.delete_reason.as_deref()
    }

    /// Where the LLM's refinement of the note stands (PROTOCOL.md 6.2); `NONE` when the note
    /// is not refined (no LLM, a typed or cancelled note, one the gate hid).
    async fn refinement(&self, ctx: &Context<'_>) -> async_graphql::Result<NoteRefinement> {
        let row = loaded(ctx.state().notes.refinements.load_one(self.row.id).await)?;
        Ok(match row {
            Some(row) => NoteRefinement {
                state: RefinementState::parse(&row.state).ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!(
                        "unknown stored refinement state {:?}",
                        row.state
                    ))
                })?,
                attempts: row.attempts,
                last_error: row.last_error,
            },
            None => NoteRefinement {
                state: RefinementState::None,
                attempts: 0,
                last_error: None,
            },
        })
    }

    /// Why the note's posting failed or needs the reviewer (`FAILED`, `NEEDS_INTERVENTION`), or
    /// why its last try failed while it is still `POSTING`.
    async fn status_reason(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let status = store::stored_status(&self.row.status)?;
        if !matches!(
            status,
            NoteStatus::Posting | NoteStatus::Failed | NoteStatus::NeedsIntervention
        ) {
            return Ok(None);
        }
        let posting = loaded(ctx.state().notes.postings.load_one(self.row.id).await)?;
        Ok(posting.and_then(|p| p.reason))
    }

    /// The quality gate's verdict; none for notes it does not judge (typed, cancelled).
    async fn quality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<NoteQuality>> {
        let decision = match &self.quality {
            Quality::Read(decision) => decision.clone(),
            Quality::Unread => {
                let loader = ctx.data_unchecked::<DataLoader<DecisionLoader, NoCache>>();
                loaded(loader.load_one(self.row.id).await)?.map(Arc::new)
            }
        };
        Ok(decision.map(NoteQuality))
    }
}

/// Where a note's refinement by the LLM stands.
#[derive(SimpleObject)]
pub struct NoteRefinement {
    pub state: RefinementState,
    /// Tries made so far.
    pub attempts: i32,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// The gate's verdict on a note.
pub struct NoteQuality(Arc<decisions::Model>);

#[Object]
impl NoteQuality {
    async fn decision(&self) -> async_graphql::Result<Decision> {
        Ok(stored_decision(&self.0.decision)?)
    }

    /// The threshold the note was held to.
    async fn threshold(&self) -> f64 {
        self.0.threshold
    }

    /// `above_threshold`, `below_floor`, `below_threshold` or `below_session_threshold`.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

fn stored_decision(stored: &str) -> AppResult<Decision> {
    Decision::parse(stored)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown stored decision {stored:?}")))
}

/// One decision of the quality gate, as `noteQualityDecisions` lists them.
pub struct NoteQualityDecision(pub decisions::Model);

#[Object]
impl NoteQualityDecision {
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn note_id(&self) -> ID {
        id(self.0.note_id)
    }

    async fn session_id(&self) -> Option<ID> {
        self.0.voice_session_id.map(id)
    }

    async fn category(&self) -> async_graphql::Result<Category> {
        Ok(store::stored_category(&self.0.category)?)
    }

    async fn confidence(&self) -> f64 {
        self.0.confidence
    }

    async fn threshold(&self) -> f64 {
        self.0.threshold
    }

    async fn decision(&self) -> async_graphql::Result<Decision> {
        Ok(stored_decision(&self.0.decision)?)
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A threshold change the gate learned for the user, per platform (or `all`) and category.
pub struct QualityAdjustment {
    row: quality_adjustments::Model,
    /// The owner, when read with the list; otherwise `user` reads it.
    owner: Option<Arc<users::Model>>,
}

impl QualityAdjustment {
    pub fn new(row: quality_adjustments::Model) -> Self {
        QualityAdjustment { row, owner: None }
    }

    /// The rows, with their owners read in one query when `with_owners` (the selection asks
    /// for `user`), so a list costs the same whatever its length.
    pub async fn list(
        db: &impl sea_orm::ConnectionTrait,
        rows: Vec<quality_adjustments::Model>,
        with_owners: bool,
    ) -> AppResult<Vec<QualityAdjustment>> {
        let owners = if with_owners {
            adjustments::owners(db, &rows).await?
        } else {
            Default::default()
        };
        let owners: std::collections::HashMap<Uuid, Arc<users::Model>> = owners
            .into_iter()
            .map(|(id, user)| (id, Arc::new(user)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| QualityAdjustment {
                owner: owners.get(&row.user_id).cloned(),
                row,
            })
            .collect())
    }
}

#[Object]
impl QualityAdjustment {
    async fn id(&self) -> ID {
        id(self.row.id)
    }

    /// The id of the user it was learned for.
    async fn user_id(&self) -> ID {
        id(self.row.user_id)
    }

    /// The user it was learned for.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        if let Some(owner) = &self.owner {
            return Ok(User::from(owner.as_ref().clone()));
        }
        let owner = crate::auth::users::find(&ctx.state().db, self.row.user_id)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        Ok(User::from(owner))
    }

    async fn platform(&self) -> &str {
        &self.row.platform
    }

    async fn category(&self) -> async_graphql::Result<Category> {
        Ok(store::stored_category(&self.row.category)?)
    }

    /// Added to the user's `minConfidence` for this category while enabled.
    async fn threshold_delta(&self) -> f64 {
        self.row.threshold_delta
    }

    async fn enabled(&self) -> bool {
        self.row.enabled
    }

    /// What taught it.
    async fn reason(&self) -> &str {
        &self.row.reason
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

#[derive(SimpleObject, Clone, Copy)]
pub struct CategoryCount {
    pub category: Category,
    pub count: i64,
}

#[derive(SimpleObject, Clone, Copy)]
pub struct StatusCount {
    pub status: NoteStatus,
    pub count: i64,
}

fn by_category(counts: &Counts) -> Vec<CategoryCount> {
    counts
        .by_category
        .iter()
        .map(|&(category, count)| CategoryCount { category, count })
        .collect()
}

fn by_status(counts: &Counts) -> Vec<StatusCount> {
    counts
        .by_status
        .iter()
        .map(|&(status, count)| StatusCount { status, count })
        .collect()
}

/// The counts of a `NoteConnection`, over every note its filter selects (not just the
/// page). Read once, and only when asked for.
pub struct NoteListCounts {
    pub user_id: Uuid,
    pub video_id: Uuid,
    pub filter: NoteFilter,
    pub counts: OnceCell<Counts>,
    /// Read before the page when asked for.
    pub offset: Option<String>,
}

impl NoteListCounts {
    async fn get(&self, ctx: &Context<'_>) -> AppResult<&Counts> {
        self.counts
            .get_or_try_init(|| {
                store::counts(&ctx.state().db, self.user_id, self.video_id, &self.filter)
            })
            .await
    }
}

#[Object]
impl NoteListCounts {
    /// Where the caller's `noteEvents` stood when this page was read: a view that has applied
    /// no event yet can resume with `noteEvents(since: offset)` instead of reading its list
    /// again after a reconnect (PROTOCOL.md 6.1).
    async fn offset(&self) -> async_graphql::Result<&str> {
        self.offset
            .as_deref()
            .ok_or_else(|| async_graphql::Error::new("the offset was not read with the page"))
    }

    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self.get(ctx).await?.total)
    }

    async fn counts_by_category(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CategoryCount>> {
        Ok(by_category(self.get(ctx).await?))
    }

    async fn counts_by_status(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StatusCount>> {
        Ok(by_status(self.get(ctx).await?))
    }
}

/// How a video's notes add up: every note that is not deleted counts by status; the total and
/// the categories count the notes shown by default (not suppressed, not cancelled).
#[derive(SimpleObject)]
pub struct NoteSummary {
    pub total_count: i64,
    pub counts_by_category: Vec<CategoryCount>,
    pub counts_by_status: Vec<StatusCount>,
}

impl From<&Counts> for NoteSummary {
    fn from(counts: &Counts) -> Self {
        NoteSummary {
            total_count: counts.total,
            counts_by_category: by_category(counts),
            counts_by_status: by_status(counts),
        }
    }
}

/// A note was made. `offset` places this event in the caller's stream (pass the last one
/// applied as `noteEvents(since:)` when subscribing again).
#[derive(SimpleObject)]
pub struct NoteCreated {
    pub note: Note,
    pub offset: String,
}

#[derive(SimpleObject)]
pub struct NoteUpdated {
    pub note: Note,
    pub offset: String,
}

#[derive(SimpleObject)]
pub struct NoteDeleted {
    pub note_id: ID,
    pub video_id: ID,
    pub offset: String,
}

/// A video's counts changed (see `NoteSummary` for what they count).
#[derive(SimpleObject)]
pub struct VideoSummaryUpdated {
    pub video_id: ID,
    pub total_count: i64,
    pub counts_by_category: Vec<CategoryCount>,
    pub counts_by_status: Vec<StatusCount>,
    pub offset: String,
}

#[derive(Union)]
#[graphql(name = "NoteEvent")]
pub enum NoteEventPayload {
    NoteCreated(NoteCreated),
    NoteUpdated(NoteUpdated),
    NoteDeleted(NoteDeleted),
    VideoSummaryUpdated(VideoSummaryUpdated),
}

impl NoteEventPayload {
    /// The user's event as the stream shows it.
    pub fn of(user_id: Uuid, sequenced: Sequenced) -> Self {
        let offset = offset::encode(user_id, sequenced.seq);
        match sequenced.event {
            NoteEvent::Created { note } => NoteEventPayload::NoteCreated(NoteCreated {
                note: Note::new(note),
                offset,
            }),
            NoteEvent::Updated { note } => NoteEventPayload::NoteUpdated(NoteUpdated {
                note: Note::new(note),
                offset,
            }),
            NoteEvent::Deleted { note_id, video_id } => {
                NoteEventPayload::NoteDeleted(NoteDeleted {
                    note_id: id(note_id),
                    video_id: id(video_id),
                    offset,
                })
            }
            NoteEvent::Summary { video_id, counts } => {
                let summary = NoteSummary::from(counts.as_ref());
                NoteEventPayload::VideoSummaryUpdated(VideoSummaryUpdated {
                    video_id: id(video_id),
                    total_count: summary.total_count,
                    counts_by_category: summary.counts_by_category,
                    counts_by_status: summary.counts_by_status,
                    offset,
                })
            }
        }
    }
}
