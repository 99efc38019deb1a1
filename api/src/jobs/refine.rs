//! `RefineNote`: with an LLM configured, `submitTranscript` answers at once with the built-in
//! structurer's note (refinement `pending`) and queues this job, which asks the LLM and
//! publishes the refined note as `NoteUpdated` (PROTOCOL.md section 6.2).
//!
//! - The reviewer's edit wins: the refined text is applied only while the note is still at
//!   the refinement's `base_version` (the version whose text is the structurer's own). A note
//!   that moved past it (an edit, a status change) ends `done`, unchanged.
//! - At most one effective run per note, across restarts: the job acts only on a `pending`
//!   refinement, and every write is checked against the version it read, so a second run
//!   (after a crash between the write and the queue's acknowledgement) finds `done` and stops.
//! - A failed try (slow, garbage, a server error) is recorded on the note (`attempts`,
//!   `lastError`) and retried with backoff; after the last try, or at once when trying again
//!   cannot help, the refinement is `failed` and the note keeps the built-in text. The job is
//!   then dead in the queue, where an admin can retry it.
//! - A note deleted (or soft-deleted) before the job runs ends the job without a change.
//! - Once the refinement ends, the user's posting rule is checked on the note
//!   (`post::by_rule`): it waits for the refinement, so that the refined note is judged and
//!   posted.

use apalis::prelude::{AbortError, Attempt, BoxDynError, Data};
use chrono::{DateTime, Utc};
use lossy_entities::{note_refinements, notes};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::kinds::{JobKind, RefineNote};
use super::write::{self, JobRow, Saved};
use crate::error::AppResult;
use crate::notes::store;
use crate::state::AppState;

/// A refinement's state (`Note.refinement.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "RefinementState", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum RefinementState {
    /// Not refined: no LLM, a cancellation, a note the gate hid, a typed note.
    None,
    Pending,
    Done,
    Failed,
}

impl RefinementState {
    pub fn as_str(self) -> &'static str {
        match self {
            RefinementState::None => "none",
            RefinementState::Pending => "pending",
            RefinementState::Done => "done",
            RefinementState::Failed => "failed",
        }
    }

    pub fn parse(stored: &str) -> Option<RefinementState> {
        [
            RefinementState::None,
            RefinementState::Pending,
            RefinementState::Done,
            RefinementState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == stored)
    }
}

/// A pending refinement for a new note at version 1.
pub fn pending(note: &notes::Model, now: DateTime<Utc>) -> note_refinements::Model {
    note_refinements::Model {
        note_id: note.id,
        user_id: note.user_id,
        state: RefinementState::Pending.as_str().to_owned(),
        attempts: 0,
        last_error: None,
        base_version: note.version,
        created_at: now,
        updated_at: now,
    }
}

/// Marks `note` for refinement and queues its job. The refinement row is written first: if the
/// server stops before the job is queued, the start-up sweep queues it.
pub async fn queue(app: &AppState, note: &notes::Model) -> AppResult<()> {
    write::put_rows(app, &[JobRow::Refinement(pending(note, store::now()))]).await?;
    push(app, note.id).await
}

/// Queues the job of `note_id` (once ever: the note id is its key).
pub async fn push(app: &AppState, note_id: Uuid) -> AppResult<()> {
    let job = RefineNote { note_id };
    app.jobs
        .queue
        .push(
            JobKind::RefineNote,
            &job,
            &job.key(),
            app.config.jobs.refine_attempts as usize,
        )
        .await
}

/// A try's outcome for the queue: done, try again later, or give up.
pub(super) enum Outcome {
    Done,
    Retry(String),
    GiveUp(String),
}

impl Outcome {
    pub(super) fn into_result(self) -> Result<(), BoxDynError> {
        match self {
            Outcome::Done => Ok(()),
            Outcome::Retry(message) => Err(message.into()),
            Outcome::GiveUp(message) => Err(Box::new(AbortError::new(message))),
        }
    }
}

/// The worker's handler: one try of one job.
pub async fn run(
    job: RefineNote,
    app: Data<AppState>,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let attempt = attempt.current().max(1) as i32;
    let result = match refine(&app, job.note_id, attempt).await {
        Ok(outcome) => {
            if !matches!(outcome, Outcome::Retry(_)) {
                // The refinement ended (refined, the reviewer's edit kept, or failed): the
                // note's rule, which waited for it, may post it now.
                if let Err(err) = super::post::by_rule(&app, job.note_id).await {
                    tracing::warn!(note = %job.note_id, error = ?err, "posting the refined note by its rule failed");
                }
            }
            outcome.into_result()
        }
        // The database failed us: the queue tries again later.
        Err(err) => Err(format!("{err:?}").into()),
    };
    super::settle(
        JobKind::RefineNote,
        attempt,
        app.config.jobs.refine_attempts,
        result,
    )
}

/// Writes a note can meet a reviewer's edit between its read and its write; then it is read
/// again. More than a few in a row would mean something else keeps writing it.
const WRITE_TRIES: usize = 3;

async fn refine(app: &AppState, note_id: Uuid, attempt: i32) -> AppResult<Outcome> {
    let max = app.config.jobs.refine_attempts as i32;
    // The answer is asked once per try, however often the write below has to be redone.
    let mut answer = None;
    for _ in 0..WRITE_TRIES {
        let Some(note) = notes::Entity::find_by_id(note_id).one(&app.db).await? else {
            return Ok(Outcome::Done);
        };
        let Some(refinement) = note_refinements::Entity::find_by_id(note_id)
            .one(&app.db)
            .await?
        else {
            return Ok(Outcome::Done);
        };
        if refinement.state != RefinementState::Pending.as_str() || note.deleted_at.is_some() {
            return Ok(Outcome::Done);
        }
        let now = store::now();
        let mut changed = note.clone();
        changed.version += 1;
        changed.updated_at = now;
        let mut row = refinement.clone();
        row.attempts = attempt;
        row.updated_at = now;
        row.base_version = changed.version;
        let outcome = if note.version != refinement.base_version {
            // The reviewer changed the note first: theirs stands.
            row.state = RefinementState::Done.as_str().to_owned();
            row.attempts = refinement.attempts;
            Outcome::Done
        } else {
            let Some(refiner) = &app.refiner else {
                row.state = RefinementState::Failed.as_str().to_owned();
                row.last_error = Some("no LLM is configured any more".into());
                write::save(app, &changed, &[JobRow::Refinement(row)]).await?;
                return Ok(Outcome::GiveUp("no LLM is configured".into()));
            };
            let result = match &answer {
                Some(result) => Clone::clone(result),
                None => {
                    let result = refiner.refine(&note.raw_transcript).await;
                    answer = Some(result.clone());
                    result
                }
            };
            match result {
                Ok(refined) => {
                    changed.text = refined.text;
                    changed.category = refined.category.as_str().to_owned();
                    changed.confidence = refined.confidence;
                    changed.structurer = refiner_name().to_owned();
                    row.state = RefinementState::Done.as_str().to_owned();
                    row.last_error = None;
                    Outcome::Done
                }
                Err(failure) => {
                    row.last_error = Some(failure.message.clone());
                    if failure.retryable && attempt < max {
                        Outcome::Retry(failure.message)
                    } else {
                        row.state = RefinementState::Failed.as_str().to_owned();
                        Outcome::GiveUp(failure.message)
                    }
                }
            }
        };
        match write::save(app, &changed, &[JobRow::Refinement(row)]).await? {
            Saved::Saved => return Ok(outcome),
            Saved::Conflict => continue,
        }
    }
    Ok(Outcome::Retry(
        "the note kept changing while it was being refined".into(),
    ))
}

/// What the refined note's `structurer` says.
fn refiner_name() -> &'static str {
    "llm"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for state in [
            RefinementState::None,
            RefinementState::Pending,
            RefinementState::Done,
            RefinementState::Failed,
        ] {
            assert_eq!(RefinementState::parse(state.as_str()), Some(state));
        }
        assert_eq!(RefinementState::parse("PENDING"), None);
    }
}
