//! The `notes` rows and their quality decisions, each write with its events in the log. Writes take the write lane's turn (on SQLite
//! they would otherwise meet the voice and telemetry writers in the busy handler) and each is
//! one transaction: a note is never stored without its decision, nor changed on a stale
//! version.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use lossy_entities::{note_quality_decisions as decisions, notes};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::listing::{Counts, NoteFilter};
use super::quality::Verdict;
use super::status::NoteStatus;
use super::stream::event::{NoteEvent, Sequenced};
use super::stream::{NoteStream, log};
use super::structurer::Category;
use crate::db::WriteLane;
use crate::db::batch::{BatchWrite, BatchWriter};
use crate::db::keyset::older_than;
use crate::error::{AppError, AppResult};

/// A note about to be stored.
#[derive(Debug, Clone)]
pub struct NewNote {
    pub user_id: Uuid,
    pub video_id: Uuid,
    pub voice_session_id: Option<Uuid>,
    pub utterance_id: Option<String>,
    pub text: String,
    pub raw_transcript: String,
    pub category: Category,
    pub confidence: f64,
    pub timestamp_seconds: f64,
    pub end_seconds: Option<f64>,
    pub status: NoteStatus,
    /// The gate's verdict; `None` for notes the gate does not judge (typed, cancelled).
    pub verdict: Option<Verdict>,
    pub structurer: &'static str,
    pub source: Option<String>,
}

/// What `insert` did.
#[derive(Debug)]
pub enum Inserted {
    Created(notes::Model, Option<decisions::Model>),
    /// The user already had a note for this utterance id: that note, unchanged.
    Existing(notes::Model),
}

pub fn now() -> DateTime<Utc> {
    // PostgreSQL keeps microseconds; trimming here makes what is returned equal what is read.
    Utc::now().trunc_subsecs(6)
}

/// Stores the note with its decision, unless the user already has a note for its utterance
/// id. Concurrent duplicates are settled by the unique index, not by a read first: exactly one
/// insert wins and the others answer its note. Written by the notes' batch writer, with the
/// other notes handed over at the same moment.
pub async fn insert(writer: &BatchWriter<NoteInserts>, note: NewNote) -> AppResult<Inserted> {
    writer.write(rows(note, now())).await
}

/// The rows of a new note: the note and, when the gate judged it, its decision.
fn rows(note: NewNote, now: DateTime<Utc>) -> NoteRows {
    let stored = notes::Model {
        id: Uuid::new_v4(),
        user_id: note.user_id,
        video_id: note.video_id,
        voice_session_id: note.voice_session_id,
        utterance_id: note.utterance_id,
        text: note.text,
        raw_transcript: note.raw_transcript,
        category: note.category.as_str().to_owned(),
        confidence: note.confidence,
        timestamp_seconds: note.timestamp_seconds,
        end_seconds: note.end_seconds,
        status: note.status.as_str().to_owned(),
        quality_decision: note
            .verdict
            .map_or("kept", |v| v.decision.as_str())
            .to_owned(),
        structurer: note.structurer.to_owned(),
        source: note.source,
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        delete_reason: None,
    };
    let decision = note.verdict.map(|verdict| decisions::Model {
        id: Uuid::new_v4(),
        note_id: stored.id,
        user_id: stored.user_id,
        voice_session_id: stored.voice_session_id,
        category: stored.category.clone(),
        confidence: stored.confidence,
        threshold: verdict.threshold,
        decision: verdict.decision.as_str().to_owned(),
        reason: verdict.reason.as_str().to_owned(),
        created_at: now,
    });
    NoteRows { stored, decision }
}

/// A note's rows as handed to the writer.
pub struct NoteRows {
    stored: notes::Model,
    decision: Option<decisions::Model>,
}

/// New notes, written together; their events are logged in the same transaction and
/// published once it committed.
pub struct NoteInserts {
    pub stream: Arc<NoteStream>,
}

#[async_trait]
impl BatchWrite for NoteInserts {
    type Item = NoteRows;
    type Done = Inserted;

    const BATCH_SIZE_METRIC: &'static str = "lossy_note_write_batch_size";
    const WAIT_METRIC: &'static str = "lossy_note_write_wait_seconds";
    const WRITE_METRIC: &'static str = "lossy_note_write_seconds";

    async fn write_all(
        &self,
        db: &DatabaseConnection,
        items: &[NoteRows],
    ) -> AppResult<Vec<Inserted>> {
        let txn = crate::db::begin_write(db).await?;
        let done = insert_all(&txn, items).await?;
        let logged = log_created(&txn, &done).await?;
        txn.commit().await?;
        for (user_id, events) in logged {
            self.stream.published(user_id, events);
        }
        Ok(done)
    }

    async fn write_one(&self, db: &DatabaseConnection, rows: &NoteRows) -> AppResult<Inserted> {
        self.write_all(db, std::slice::from_ref(rows))
            .await?
            .pop()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a note write answered nothing")))
    }
}

/// Logs `NoteCreated` for each note the batch created and then the summaries of their videos,
/// user by user (a batch holds many users' notes).
async fn log_created(
    txn: &DatabaseTransaction,
    done: &[Inserted],
) -> AppResult<Vec<(Uuid, Vec<Sequenced>)>> {
    let created = done.iter().filter_map(|inserted| match inserted {
        Inserted::Created(note, _) => Some((note.user_id, vec![NoteEvent::created(note)])),
        Inserted::Existing(_) => None,
    });
    log::append(txn, created.collect(), now()).await
}

/// The batch's notes in one statement and their decisions in another, inside the batch's
/// transaction. A note for an utterance the user already has a note for (stored earlier, or
/// earlier in this batch) is skipped by the unique index and answered with that note. The
/// rows are answered as built: reading them back would hold the write lane longer for nothing.
async fn insert_all(txn: &DatabaseTransaction, items: &[NoteRows]) -> AppResult<Vec<Inserted>> {
    let created: HashSet<Uuid> = notes::Entity::insert_many(
        items
            .iter()
            .map(|rows| rows.stored.clone().into_active_model().reset_all()),
    )
    .on_conflict(
        OnConflict::columns([notes::Column::UserId, notes::Column::UtteranceId])
            .do_nothing()
            .to_owned(),
    )
    .exec_with_returning_keys(txn)
    .await?
    .into_iter()
    .collect();
    let decisions = items
        .iter()
        .filter(|rows| created.contains(&rows.stored.id))
        .filter_map(|rows| rows.decision.clone())
        .map(|decision| decision.into_active_model().reset_all());
    decisions::Entity::insert_many(decisions)
        .exec_without_returning(txn)
        .await?;
    let mut done = Vec::with_capacity(items.len());
    for rows in items {
        let stored = &rows.stored;
        if created.contains(&stored.id) {
            done.push(Inserted::Created(stored.clone(), rows.decision.clone()));
            continue;
        }
        let utterance = stored.utterance_id.as_deref().unwrap_or_default();
        let existing = find_by_utterance(txn, stored.user_id, utterance)
            .await?
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("note insert conflicted with nothing"))
            })?;
        done.push(Inserted::Existing(existing));
    }
    Ok(done)
}

/// The user's note `id`, deleted or not.
pub async fn find_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<Option<notes::Model>> {
    Ok(notes::Entity::find_by_id(id)
        .filter(notes::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// The user's note for an utterance id.
pub async fn find_by_utterance(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    utterance_id: &str,
) -> AppResult<Option<notes::Model>> {
    Ok(notes::Entity::find()
        .filter(notes::Column::UserId.eq(user_id))
        .filter(notes::Column::UtteranceId.eq(utterance_id))
        .one(db)
        .await?)
}

/// Writes `changed` over the stored row if the row is still at `changed.version - 1`; the
/// caller read that row and checked the change. Logs `event` and the video's summary with it
/// and publishes them once committed. Answers `CONFLICT` when another write came first.
pub async fn save(
    lane: &WriteLane,
    stream: &NoteStream,
    changed: &notes::Model,
    event: NoteEvent,
) -> AppResult<()> {
    let turn = lane.turn().await;
    let txn = crate::db::begin_write(&lane.db).await?;
    if !overwrite(&txn, changed).await? {
        return Err(AppError::Conflict(
            "the note changed meanwhile; read it again and retry".into(),
        ));
    }
    let logged = log_change(&txn, changed, event).await?;
    txn.commit().await?;
    drop(turn);
    stream.published(changed.user_id, logged);
    Ok(())
}

/// Inside `txn`, writes every column a change can touch (a reviewer's edit, a deletion, a job's
/// refinement or posting) over the note if it is still at `changed.version - 1`; false when
/// another write came first and nothing was written. The one conditional update of a note.
pub async fn overwrite(txn: &DatabaseTransaction, changed: &notes::Model) -> AppResult<bool> {
    let result = notes::Entity::update_many()
        .col_expr(notes::Column::Text, Expr::value(changed.text.clone()))
        .col_expr(
            notes::Column::Category,
            Expr::value(changed.category.clone()),
        )
        .col_expr(notes::Column::Confidence, Expr::value(changed.confidence))
        .col_expr(
            notes::Column::Structurer,
            Expr::value(changed.structurer.clone()),
        )
        .col_expr(notes::Column::Status, Expr::value(changed.status.clone()))
        .col_expr(notes::Column::Version, Expr::value(changed.version))
        .col_expr(notes::Column::UpdatedAt, Expr::value(changed.updated_at))
        .col_expr(notes::Column::DeletedAt, Expr::value(changed.deleted_at))
        .col_expr(
            notes::Column::DeleteReason,
            Expr::value(changed.delete_reason.clone()),
        )
        .filter(notes::Column::Id.eq(changed.id))
        .filter(notes::Column::Version.eq(changed.version - 1))
        .exec(txn)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Inside `txn`, logs `event` about `changed` and the video's summary after it; publish what
/// it answers once `txn` committed.
pub async fn log_change(
    txn: &DatabaseTransaction,
    changed: &notes::Model,
    event: NoteEvent,
) -> AppResult<Vec<Sequenced>> {
    let mut logged = log::append(
        txn,
        vec![(changed.user_id, vec![event])],
        changed.updated_at,
    )
    .await?
    .into_iter();
    Ok(logged.next().map(|(_, events)| events).unwrap_or_default())
}

/// The conditions of a list of one video's notes.
fn listed(user_id: Uuid, video_id: Uuid, filter: &NoteFilter) -> Condition {
    let statuses: Vec<&str> = filter.statuses().iter().map(|s| s.as_str()).collect();
    let mut condition = Condition::all()
        .add(notes::Column::UserId.eq(user_id))
        .add(notes::Column::VideoId.eq(video_id))
        .add(notes::Column::Status.is_in(statuses));
    if let Some(categories) = &filter.categories {
        condition =
            condition.add(notes::Column::Category.is_in(categories.iter().map(|c| c.as_str())));
    }
    if let Some(min) = filter.min_confidence {
        condition = condition.add(notes::Column::Confidence.gte(min));
    }
    if !filter.include_deleted {
        condition = condition.add(notes::Column::DeletedAt.is_null());
    }
    condition
}

/// A page of a video's notes in video order (timestamp, then id), after the cursor
/// `(timestamp, id)`.
pub async fn page(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    video_id: Uuid,
    filter: &NoteFilter,
    after: Option<(f64, Uuid)>,
    limit: u64,
) -> AppResult<Vec<notes::Model>> {
    let mut query = notes::Entity::find()
        .filter(listed(user_id, video_id, filter))
        .order_by_asc(notes::Column::TimestampSeconds)
        .order_by_asc(notes::Column::Id)
        .limit(limit);
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(notes::Column::TimestampSeconds.gt(at))
                .add(
                    Condition::all()
                        .add(notes::Column::TimestampSeconds.eq(at))
                        .add(notes::Column::Id.gt(id)),
                ),
        );
    }
    Ok(query.all(db).await?)
}

/// `(video, category, status, count)` of the rows matching `condition`. Lists of one video
/// group by it too: it costs nothing and keeps one query shape.
async fn groups(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> AppResult<Vec<(Uuid, Category, NoteStatus, i64)>> {
    let rows = notes::Entity::find()
        .select_only()
        .column(notes::Column::VideoId)
        .column(notes::Column::Category)
        .column(notes::Column::Status)
        .column_as(notes::Column::Id.count(), "count")
        .filter(condition)
        .group_by(notes::Column::VideoId)
        .group_by(notes::Column::Category)
        .group_by(notes::Column::Status)
        .into_tuple::<(Uuid, String, String, i64)>()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(video, category, status, count)| {
            Ok((
                video,
                stored_category(&category)?,
                stored_status(&status)?,
                count,
            ))
        })
        .collect()
}

/// How the notes of a list add up.
pub async fn counts(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    video_id: Uuid,
    filter: &NoteFilter,
) -> AppResult<Counts> {
    let groups = groups(db, listed(user_id, video_id, filter)).await?;
    Ok(Counts::of(groups.into_iter().map(|(_, c, s, n)| (c, s, n))))
}

/// Each video's summary (its notes that are not deleted), in one query for all of them.
pub async fn summaries(
    db: &impl ConnectionTrait,
    video_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Counts>> {
    let condition = Condition::all()
        .add(notes::Column::VideoId.is_in(video_ids.iter().copied()))
        .add(notes::Column::DeletedAt.is_null());
    let mut by_video: HashMap<Uuid, Vec<(Category, NoteStatus, i64)>> = HashMap::new();
    for (video, category, status, count) in groups(db, condition).await? {
        by_video
            .entry(video)
            .or_default()
            .push((category, status, count));
    }
    Ok(video_ids
        .iter()
        .map(|id| {
            let groups = by_video.remove(id).unwrap_or_default();
            (*id, Counts::summary(groups))
        })
        .collect())
}

/// The quality decisions of these notes, by note.
pub async fn decisions_of(
    db: &impl ConnectionTrait,
    note_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, decisions::Model>> {
    let rows = decisions::Entity::find()
        .filter(decisions::Column::NoteId.is_in(note_ids.iter().copied()))
        .order_by_asc(decisions::Column::CreatedAt)
        .all(db)
        .await?;
    // Oldest first, so the latest decision of a note wins.
    Ok(rows.into_iter().map(|row| (row.note_id, row)).collect())
}

/// Which of the user's quality decisions to list.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub video_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub decision: Option<&'static str>,
    pub category: Option<Category>,
}

/// The user's quality decisions, newest first, keyset-paged on (created_at, id).
pub async fn decisions_page(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    filter: &DecisionFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<decisions::Model>> {
    let mut query = decisions::Entity::find()
        .filter(decisions::Column::UserId.eq(user_id))
        .order_by_desc(decisions::Column::CreatedAt)
        .order_by_desc(decisions::Column::Id)
        .limit(limit);
    if let Some(video_id) = filter.video_id {
        query = query.filter(
            decisions::Column::NoteId.in_subquery(
                Query::select()
                    .column(notes::Column::Id)
                    .from(notes::Entity)
                    .and_where(notes::Column::VideoId.eq(video_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(session_id) = filter.session_id {
        query = query.filter(decisions::Column::VoiceSessionId.eq(session_id));
    }
    if let Some(decision) = filter.decision {
        query = query.filter(decisions::Column::Decision.eq(decision));
    }
    if let Some(category) = filter.category {
        query = query.filter(decisions::Column::Category.eq(category.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(older_than(
            decisions::Column::CreatedAt,
            decisions::Column::Id,
            after,
        ));
    }
    Ok(query.all(db).await?)
}

/// Quality decisions counted by decision, reason and category: of one user or of everyone,
/// made at or after `from` and before `to`. One grouped query; a user's range reads
/// `ix_note_quality_decisions_user_time`, everyone's `idx_note_quality_decisions_created_at`.
pub async fn decision_counts(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> AppResult<Vec<(String, String, String, i64)>> {
    let mut query = decisions::Entity::find()
        .select_only()
        .column(decisions::Column::Decision)
        .column(decisions::Column::Reason)
        .column(decisions::Column::Category)
        .column_as(decisions::Column::Id.count(), "count")
        .group_by(decisions::Column::Decision)
        .group_by(decisions::Column::Reason)
        .group_by(decisions::Column::Category)
        .order_by_asc(decisions::Column::Decision)
        .order_by_asc(decisions::Column::Reason)
        .order_by_asc(decisions::Column::Category);
    if let Some(user_id) = user_id {
        query = query.filter(decisions::Column::UserId.eq(user_id));
    }
    if let Some(from) = from {
        query = query.filter(decisions::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(decisions::Column::CreatedAt.lt(to));
    }
    Ok(query.into_tuple().all(db).await?)
}

pub fn stored_category(stored: &str) -> AppResult<Category> {
    Category::parse(stored)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown stored category {stored:?}")))
}

pub fn stored_status(stored: &str) -> AppResult<NoteStatus> {
    NoteStatus::parse(stored)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown stored status {stored:?}")))
}
