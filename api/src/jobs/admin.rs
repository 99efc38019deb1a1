//! The admin's view of the queue: jobs listed by state and kind (newest first), and a dead
//! job retried. apalis keeps its jobs in its own table (`Jobs` on SQLite, `apalis.jobs` on
//! PostgreSQL); these read it directly, as its storage offers no cursor-paged list.
//!
//! A job's state here: `PENDING` (waiting, or failed with tries left), `RUNNING`, `DONE`, and
//! `DEAD`: out of tries, or given up because trying again cannot help.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, QueryResult, Statement, Value,
};
use uuid::Uuid;

use super::kinds::{self, JobKind};
use super::refine::RefinementState;
use super::write::{self, JobRow, Saved};
use crate::error::{AppError, AppResult};
use crate::notes::status::NoteStatus;
use crate::notes::store;
use crate::state::AppState;
use lossy_entities::{note_posts, note_refinements, notes};
use sea_orm::EntityTrait;

/// Where a job stands in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum JobState {
    /// Waiting to run, or failed with tries left (it runs again after its backoff).
    Pending,
    Running,
    Done,
    /// Out of tries, or given up because trying again cannot help; `retryJob` runs it again.
    Dead,
}

impl JobState {
    /// The SQL condition on apalis's columns.
    pub(super) fn condition(self) -> &'static str {
        match self {
            JobState::Pending => {
                "(status IN ('Pending', 'Queued') OR (status = 'Failed' AND attempts < max_attempts))"
            }
            JobState::Running => "status = 'Running'",
            JobState::Done => "status = 'Done'",
            JobState::Dead => {
                "(status = 'Killed' OR (status = 'Failed' AND attempts >= max_attempts))"
            }
        }
    }

    /// The state of a row with apalis's `status`.
    pub fn of(status: &str, attempts: i64, max_attempts: i64) -> JobState {
        match status {
            "Running" => JobState::Running,
            "Done" => JobState::Done,
            "Killed" => JobState::Dead,
            "Failed" if attempts >= max_attempts => JobState::Dead,
            _ => JobState::Pending,
        }
    }
}

/// One job as the admin sees it.
#[derive(Debug, Clone)]
pub struct JobRecord {
    pub id: String,
    pub kind: JobKind,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub note_id: Option<Uuid>,
    /// A posting's delivery id (`PostNote` only).
    pub delivery_id: Option<String>,
    pub run_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    /// The last try's result as apalis keeps it (an error message for a failed try).
    pub last_result: Option<String>,
}

/// apalis's table of jobs.
pub(super) fn table(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "apalis.jobs",
        _ => "Jobs",
    }
}

/// The columns read, with times as Unix seconds and the result as text on both databases.
fn columns(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "id, job_type, status, attempts, max_attempts, \
             CAST(EXTRACT(EPOCH FROM run_at) AS BIGINT) AS run_at, \
             CAST(EXTRACT(EPOCH FROM done_at) AS BIGINT) AS done_at, \
             CAST(last_result AS TEXT) AS last_result, job"
        }
        _ => {
            "id, job_type, status, attempts, max_attempts, run_at, done_at, \
             CAST(last_result AS TEXT) AS last_result, job"
        }
    }
}

/// Numbered placeholders: `$n` on PostgreSQL, `?n` on SQLite.
pub(super) fn placeholder(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

fn record(row: &QueryResult) -> AppResult<Option<JobRecord>> {
    let queue: String = row.try_get("", "job_type")?;
    let Some(kind) = JobKind::from_queue(&queue) else {
        return Ok(None);
    };
    let status: String = row.try_get("", "status")?;
    let attempts: i64 = row.try_get::<i32>("", "attempts").map(i64::from)?;
    let max_attempts: i64 = row.try_get::<i32>("", "max_attempts").map(i64::from)?;
    let seconds = |column: &str| -> AppResult<Option<DateTime<Utc>>> {
        let at: Option<i64> = row.try_get("", column)?;
        Ok(at.and_then(|s| Utc.timestamp_opt(s, 0).single()))
    };
    let args: Vec<u8> = row.try_get("", "job")?;
    Ok(Some(JobRecord {
        id: row.try_get("", "id")?,
        kind,
        state: JobState::of(&status, attempts, max_attempts),
        attempts,
        max_attempts,
        note_id: kinds::note_of(&args),
        delivery_id: serde_json::from_slice::<kinds::PostNote>(&args)
            .ok()
            .map(|job| job.delivery_id),
        run_at: seconds("run_at")?,
        done_at: seconds("done_at")?,
        last_result: row.try_get("", "last_result")?,
    }))
}

/// Which jobs to list.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub kind: Option<JobKind>,
}

/// Jobs newest first (apalis's ids are ULIDs, which sort by time), after the id `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &JobFilter,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<JobRecord>> {
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    let kinds: Vec<JobKind> = filter.kind.map_or(JobKind::ALL.to_vec(), |k| vec![k]);
    let mut slots = Vec::new();
    for kind in kinds {
        values.push(kind.queue().into());
        slots.push(placeholder(backend, values.len()));
    }
    conditions.push(format!("job_type IN ({})", slots.join(", ")));
    if let Some(state) = filter.state {
        conditions.push(state.condition().to_owned());
    }
    if let Some(after) = after {
        values.push(after.into());
        conditions.push(format!("id < {}", placeholder(backend, values.len())));
    }
    values.push((limit as i64).into());
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY id DESC LIMIT {}",
        columns(backend),
        table(backend),
        conditions.join(" AND "),
        placeholder(backend, values.len()),
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut jobs = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(job) = record(row)? {
            jobs.push(job);
        }
    }
    Ok(jobs)
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, async_graphql::SimpleObject)]
pub struct JobCounts {
    pub pending: i64,
    pub running: i64,
    pub done: i64,
    pub dead: i64,
}

/// The jobs of `kind` (or of every kind) counted by state, in one query.
pub async fn counts(db: &impl ConnectionTrait, kind: Option<JobKind>) -> AppResult<JobCounts> {
    let backend = db.get_database_backend();
    let kinds: Vec<JobKind> = kind.map_or(JobKind::ALL.to_vec(), |k| vec![k]);
    let mut values: Vec<Value> = Vec::new();
    let mut slots = Vec::new();
    for kind in kinds {
        values.push(kind.queue().into());
        slots.push(placeholder(backend, values.len()));
    }
    let sum = |state: JobState, name: &str| {
        format!(
            "CAST(COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS BIGINT) AS {name}",
            state.condition()
        )
    };
    let sql = format!(
        "SELECT {}, {}, {}, {} FROM {} WHERE job_type IN ({})",
        sum(JobState::Pending, "pending"),
        sum(JobState::Running, "running"),
        sum(JobState::Done, "done"),
        sum(JobState::Dead, "dead"),
        table(backend),
        slots.join(", "),
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let Some(row) = row else {
        return Ok(JobCounts::default());
    };
    Ok(JobCounts {
        pending: row.try_get("", "pending")?,
        running: row.try_get("", "running")?,
        done: row.try_get("", "done")?,
        dead: row.try_get("", "dead")?,
    })
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> AppResult<Option<JobRecord>> {
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT {} FROM {} WHERE id = {}",
        columns(backend),
        table(backend),
        placeholder(backend, 1)
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await?;
    match row {
        Some(row) => record(&row),
        None => Ok(None),
    }
}

/// Puts a dead job back in the queue with its tries counted from zero, and its note back in
/// the state the job starts from (the refinement `pending`, the note `queued`), as a
/// `NoteUpdated`. A job that is not dead, or whose note moved on, is refused.
pub async fn retry(app: &AppState, id: &str) -> AppResult<JobRecord> {
    let job = find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("job"))?;
    if job.state != JobState::Dead {
        return Err(AppError::bad_input(
            "id",
            "only a dead job can be retried; this one is not",
        ));
    }
    if let Some(note_id) = job.note_id {
        reopen_note(app, &job, note_id).await?;
    }
    let backend = app.db.get_database_backend();
    let now = match backend {
        DatabaseBackend::Postgres => "NOW()",
        _ => "strftime('%s', 'now')",
    };
    let sql = format!(
        "UPDATE {} SET status = 'Pending', attempts = 0, run_at = {now}, lock_by = NULL, \
         lock_at = NULL, done_at = NULL WHERE id = {} AND {}",
        table(backend),
        placeholder(backend, 1),
        JobState::Dead.condition(),
    );
    let turn = app.lane.turn().await;
    let txn: DatabaseTransaction = crate::db::begin_write(&app.lane.db).await?;
    let reset = txn
        .execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await?;
    txn.commit().await?;
    drop(turn);
    if reset.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "the job changed meanwhile; read it again".into(),
        ));
    }
    find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("job"))
}

/// The note side of a retry.
async fn reopen_note(app: &AppState, job: &JobRecord, note_id: Uuid) -> AppResult<()> {
    let Some(note) = notes::Entity::find_by_id(note_id).one(&app.db).await? else {
        // The note is gone: the job will end at once, harmlessly.
        return Ok(());
    };
    let now = store::now();
    let mut changed = note.clone();
    changed.version += 1;
    changed.updated_at = now;
    let row = match job.kind {
        JobKind::RefineNote => {
            let Some(mut refinement) = note_refinements::Entity::find_by_id(note_id)
                .one(&app.db)
                .await?
            else {
                return Ok(());
            };
            if refinement.state != RefinementState::Failed.as_str() {
                return Err(stale_job());
            }
            // Still the structurer's text: the retried job may replace it. Else the reviewer's
            // edit keeps winning, and the job will end without a change.
            if refinement.base_version == note.version {
                refinement.base_version = changed.version;
            }
            refinement.state = RefinementState::Pending.as_str().to_owned();
            refinement.attempts = 0;
            refinement.updated_at = now;
            JobRow::Refinement(refinement)
        }
        JobKind::PostNote => {
            let Some(mut posting) = note_posts::Entity::find_by_id(note_id).one(&app.db).await?
            else {
                return Ok(());
            };
            // Only the note's latest posting may be retried: an older one was superseded
            // when the note was posted again.
            if store::stored_status(&note.status)? != NoteStatus::Failed
                || job.delivery_id.as_deref() != Some(posting.delivery_id.as_str())
            {
                return Err(stale_job());
            }
            changed.status = NoteStatus::Queued.as_str().to_owned();
            posting.attempts = 0;
            posting.reason = None;
            posting.updated_at = now;
            JobRow::Post(posting)
        }
    };
    match write::save(app, &changed, &[row]).await? {
        Saved::Saved => Ok(()),
        Saved::Conflict => Err(AppError::Conflict(
            "the note changed meanwhile; retry again".into(),
        )),
    }
}

fn stale_job() -> AppError {
    AppError::Refused {
        code: "JOB_SUPERSEDED",
        status: axum::http::StatusCode::CONFLICT,
        message: "the job's note has moved on (edited, reposted or taken back); nothing to retry"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apalis_statuses_map_to_job_states() {
        assert_eq!(JobState::of("Pending", 0, 4), JobState::Pending);
        assert_eq!(JobState::of("Queued", 0, 4), JobState::Pending);
        assert_eq!(JobState::of("Failed", 2, 4), JobState::Pending);
        assert_eq!(JobState::of("Failed", 4, 4), JobState::Dead);
        assert_eq!(JobState::of("Killed", 1, 4), JobState::Dead);
        assert_eq!(JobState::of("Running", 1, 4), JobState::Running);
        assert_eq!(JobState::of("Done", 1, 4), JobState::Done);
    }
}
