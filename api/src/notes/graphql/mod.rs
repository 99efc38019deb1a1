//! GraphQL for notes (PROTOCOL.md sections 6, 8 and 9): submitting transcripts, editing notes,
//! listing them page by page with their counts, the `noteEvents` stream, and the quality
//! gate's decisions and adjustments. A user only ever sees their own notes.

pub mod quality_admin;
pub mod types;

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, InputObject, Json, MergedObject, Object, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use lossy_entities::notes;
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::adjustments;
use super::checks;
use super::listing::NoteFilter;
use super::quality::Decision;
use super::service::{self, Edit, Submission, Typed};
use super::status::NoteStatus;
use super::store::{self, DecisionFilter};
use super::structurer::Category;
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;
use crate::graphql_kit::parse_id;
use crate::platforms;
use types::{Note, NoteEventPayload, NoteListCounts, NoteQualityDecision, QualityAdjustment};

/// A page of notes with the counts of the whole list.
pub type NoteConnection = Connection<String, Note, NoteListCounts, EmptyFields>;

#[derive(InputObject, Default)]
pub struct NoteFilterInput {
    pub categories: Option<Vec<Category>>,
    /// Only these statuses (default: every status but `SUPPRESSED` and `CANCELLED`).
    pub statuses: Option<Vec<NoteStatus>>,
    pub min_confidence: Option<f64>,
    /// Adds suppressed notes to the statuses listed.
    #[graphql(default)]
    pub include_suppressed: bool,
    /// Adds deleted notes.
    #[graphql(default)]
    pub include_deleted: bool,
}

impl NoteFilterInput {
    fn checked(self) -> AppResult<NoteFilter> {
        let min_confidence = self
            .min_confidence
            .map(|c| checks::confidence(c, "minConfidence"))
            .transpose()?;
        Ok(NoteFilter {
            categories: self.categories,
            statuses: self.statuses,
            min_confidence,
            include_suppressed: self.include_suppressed,
            include_deleted: self.include_deleted,
        })
    }
}

/// A cursor of the notes list: the last note's timestamp (as its bits, so it survives the
/// round trip exactly) and id.
type NoteKey = (u64, Uuid);

/// `notes(...)` and `Video.notes(...)`: a video's notes in video order, keyset-paged on
/// (timestamp, id), so notes added while a client pages are neither skipped nor repeated.
pub async fn notes_of_video(
    ctx: &Context<'_>,
    user_id: Uuid,
    video_id: Uuid,
    first: Option<i32>,
    after: Option<String>,
    filter: Option<NoteFilterInput>,
) -> AppResult<NoteConnection> {
    let app = ctx.state();
    let page = Page::<NoteKey>::parse(first, after.as_deref(), app.config.max_page_size)?;
    let filter = filter.unwrap_or_default().checked()?;
    let after = page.after.map(|(bits, id)| (f64::from_bits(bits), id));
    // Read before the page, so the page reflects at least every event up to it: following
    // `noteEvents(since: offset)` then misses nothing (and what it repeats, versions settle).
    let offset = if ctx.look_ahead().field("offset").exists() {
        let last = crate::notes::stream::log::last_seq(&app.db, user_id).await?;
        Some(crate::notes::stream::offset::encode(user_id, last))
    } else {
        None
    };
    let rows = store::page(
        &app.db,
        user_id,
        video_id,
        &filter,
        after,
        page.fetch_limit(),
    )
    .await?;
    // A page that shows its notes' quality reads the decisions in one query, so its cost does
    // not depend on its length (a data loader would batch too, but only within its window).
    let wants_quality = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("quality")
        .exists();
    let mut decisions = if wants_quality {
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        Some(store::decisions_of(&app.db, &ids).await?)
    } else {
        None
    };
    let counts = NoteListCounts {
        user_id,
        video_id,
        filter,
        counts: OnceCell::new(),
        offset,
    };
    let key = |row: &notes::Model| (row.timestamp_seconds.to_bits(), row.id);
    Ok(
        page.connection_with(rows, counts, key, |row| match decisions.as_mut() {
            Some(decisions) => {
                let decision = decisions.remove(&row.id);
                Note::with_decision(row, decision)
            }
            None => Note::from(row),
        }),
    )
}

#[derive(InputObject)]
pub struct SubmitTranscriptInput {
    /// The client's id for the utterance: the same id always answers the same note.
    pub utterance_id: String,
    /// The voice session that heard it (protocol v2); it must be the caller's and must have
    /// heard `utteranceId`.
    pub session_id: Option<ID>,
    pub video_id: ID,
    /// The playhead when the reviewer started speaking, in seconds.
    pub media_time: f64,
    /// How long the utterance lasted (the client's VAD).
    #[graphql(default)]
    pub duration_ms: i32,
    pub text: String,
    /// The recognizer's confidence in 0..1.
    pub confidence: Option<f64>,
    /// Word timings from the recognizer; accepted for clients that send them, not stored.
    pub words: Option<Json<serde_json::Value>>,
    /// Which recognizer produced the text (free text, e.g. `web-speech`, `whisper-tiny`).
    pub source: Option<String>,
}

#[derive(InputObject)]
pub struct CreateNoteInput {
    pub video_id: ID,
    pub text: String,
    /// Defaults to what the structurer reads in the text.
    pub category: Option<Category>,
    pub timestamp_seconds: f64,
    pub end_seconds: Option<f64>,
}

#[derive(InputObject)]
pub struct UpdateNoteInput {
    pub id: ID,
    /// The version the client last saw; a stale one is refused with `CONFLICT`.
    pub version: i64,
    pub text: Option<String>,
    pub category: Option<Category>,
    pub status: Option<NoteStatus>,
}

#[derive(InputObject)]
pub struct SetQualityAdjustmentInput {
    pub id: ID,
    pub enabled: bool,
}

/// The notes' queries, with those of the jobs and integrations that serve them (merged here
/// so that the schema root needs no line of its own for them).
#[derive(MergedObject, Default)]
pub struct NotesQuery(
    NoteQueries,
    quality_admin::QualityAdminQuery,
    crate::jobs::graphql::JobsQuery,
    crate::integrations::graphql::IntegrationsQuery,
);

#[derive(Default)]
pub struct NoteQueries;

#[Object]
impl NoteQueries {
    /// One of the caller's notes, deleted or not.
    async fn note(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        let row = store::find_for_user(&ctx.state().db, viewer.user_id, id)
            .await?
            .ok_or_else(|| AppError::not_found("note"))?;
        Ok(row.into())
    }

    /// The notes of one of the caller's videos, in video order.
    async fn notes(
        &self,
        ctx: &Context<'_>,
        video_id: ID,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<NoteFilterInput>,
    ) -> async_graphql::Result<NoteConnection> {
        let viewer = ctx.viewer()?;
        let video_id = parse_id(&video_id, "videoId")?;
        platforms::store::find_for_user(&ctx.state().db, viewer.user_id, video_id)
            .await?
            .ok_or_else(|| AppError::not_found("video"))?;
        Ok(notes_of_video(ctx, viewer.user_id, video_id, first, after, filter).await?)
    }

    /// The quality gate's decisions on the caller's notes, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn note_quality_decisions(
        &self,
        ctx: &Context<'_>,
        video_id: Option<ID>,
        session_id: Option<ID>,
        decision: Option<Decision>,
        category: Option<Category>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, NoteQualityDecision>> {
        let viewer = ctx.viewer()?;
        let app = ctx.state();
        let page = Page::<(DateTime<Utc>, Uuid)>::parse(
            first,
            after.as_deref(),
            app.config.max_page_size,
        )?;
        let filter = DecisionFilter {
            video_id: video_id.map(|id| parse_id(&id, "videoId")).transpose()?,
            session_id: session_id
                .map(|id| parse_id(&id, "sessionId"))
                .transpose()?,
            decision: decision.map(Decision::as_str),
            category,
        };
        let rows = store::decisions_page(
            &app.db,
            viewer.user_id,
            &filter,
            page.after,
            page.fetch_limit(),
        )
        .await?;
        Ok(page.connection(rows, |row| (row.created_at, row.id), NoteQualityDecision))
    }

    /// The threshold adjustments the gate learned for the caller.
    async fn quality_adjustments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<QualityAdjustment>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state().db;
        let rows = adjustments::list(db, viewer.user_id).await?;
        let with_owners = ctx.look_ahead().field("user").exists();
        Ok(QualityAdjustment::list(db, rows, with_owners).await?)
    }
}

/// The notes' mutations, with those of the jobs and integrations.
#[derive(MergedObject, Default)]
pub struct NotesMutation(
    NoteMutations,
    quality_admin::QualityAdminMutation,
    crate::jobs::graphql::JobsMutation,
    crate::integrations::graphql::IntegrationsMutation,
);

#[derive(Default)]
pub struct NoteMutations;

#[Object]
impl NoteMutations {
    /// Turns a transcript into a note (PROTOCOL.md 6.1), or answers the note already made for
    /// its utterance id.
    async fn submit_transcript(
        &self,
        ctx: &Context<'_>,
        input: SubmitTranscriptInput,
    ) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let submission = Submission {
            utterance_id: input.utterance_id,
            session_id: input
                .session_id
                .map(|id| parse_id(&id, "sessionId"))
                .transpose()?,
            video_id: parse_id(&input.video_id, "videoId")?,
            media_time: input.media_time,
            duration_ms: input.duration_ms,
            text: input.text,
            confidence: input.confidence,
            source: input.source,
        };
        Ok(
            service::submit_transcript(ctx.state(), viewer.user_id, submission)
                .await?
                .into(),
        )
    }

    /// A note typed by hand; it starts `FIRMED`.
    async fn create_note(
        &self,
        ctx: &Context<'_>,
        input: CreateNoteInput,
    ) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let typed = Typed {
            video_id: parse_id(&input.video_id, "videoId")?,
            text: input.text,
            category: input.category,
            timestamp_seconds: input.timestamp_seconds,
            end_seconds: input.end_seconds,
        };
        Ok(service::create_note(ctx.state(), viewer.user_id, typed)
            .await?
            .into())
    }

    /// Changes a note's text, category or status, if `version` is still current.
    async fn update_note(
        &self,
        ctx: &Context<'_>,
        input: UpdateNoteInput,
    ) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let edit = Edit {
            id: parse_id(&input.id, "id")?,
            version: input.version,
            text: input.text,
            category: input.category,
            status: input.status,
        };
        Ok(service::update_note(ctx.state(), viewer.user_id, edit)
            .await?
            .into())
    }

    /// Deletes a note softly: it can be restored, and the deletion teaches the quality gate.
    async fn delete_note(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        Ok(
            service::delete_note(ctx.state(), viewer.user_id, id, reason)
                .await?
                .into(),
        )
    }

    /// Undoes a deletion.
    async fn restore_note(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        Ok(service::restore_note(ctx.state(), viewer.user_id, id)
            .await?
            .into())
    }

    /// Sends a note to the caller's webhook (PROTOCOL.md 6.2): it becomes `QUEUED` at once,
    /// then a job moves it to `POSTING` and `POSTED`, or to `FAILED` / `NEEDS_INTERVENTION`
    /// with `statusReason`, each move a `NoteUpdated`. A note already queued or posting is
    /// answered as it is.
    async fn post_note(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Note> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&id, "id")?;
        Ok(
            crate::jobs::post::post_note(ctx.state(), viewer.user_id, id)
                .await?
                .into(),
        )
    }

    /// Switches one of the caller's learned threshold adjustments on or off.
    async fn set_quality_adjustment(
        &self,
        ctx: &Context<'_>,
        input: SetQualityAdjustmentInput,
    ) -> async_graphql::Result<QualityAdjustment> {
        let viewer = ctx.viewer()?;
        let id = parse_id(&input.id, "id")?;
        let app = ctx.state();
        let row = adjustments::set_enabled(&app.db, viewer.user_id, id, input.enabled).await?;
        app.notes.adjustments.forget(viewer.user_id);
        Ok(QualityAdjustment::new(row))
    }
}

#[derive(Default)]
pub struct NotesSubscription;

#[Subscription]
impl NotesSubscription {
    /// Every change to the caller's notes of one video (all their videos without `videoId`):
    /// created, updated, deleted, and the video's new counts after each. Suppressed and
    /// cancelled notes are published too, with their status. Each event has an `offset`; with
    /// `since` (the last offset the client applied) the events after it are replayed first,
    /// then live ones follow with no gap and none twice (PROTOCOL.md section 6.1). An offset
    /// past retention answers `EVENTS_EXPIRED`: reload the notes and subscribe without it.
    async fn note_events(
        &self,
        ctx: &Context<'_>,
        video_id: Option<ID>,
        since: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<NoteEventPayload>> + use<>>
    {
        let viewer = ctx.viewer()?;
        let user = viewer.user_id;
        let only = video_id
            .as_ref()
            .map(|id| parse_id(id, "videoId"))
            .transpose()?;
        let app = ctx.state();
        if let Some(id) = only {
            platforms::store::find_for_user(&app.db, user, id)
                .await?
                .ok_or_else(|| AppError::not_found("video"))?;
        }
        let events = app
            .notes
            .stream
            .subscribe(&app.db, user, only, since.as_deref())
            .await?;
        let events = ctx.subscribed(events.boxed());
        Ok(events.map(move |event| {
            event
                .map(|event| NoteEventPayload::of(user, event))
                .map_err(async_graphql::Error::from)
        }))
    }
}
