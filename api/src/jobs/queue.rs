//! The job queue: apalis's storage in the server's own database. On SQLite its tables are
//! `Jobs` and `Workers` beside ours, on SeaORM's pool; on PostgreSQL they live in the schema
//! `apalis`, reached through a small pool of the queue's own. Both are created by apalis's own
//! migrations at start.

use std::time::Duration;

use apalis::layers::retry::backoff::Backoff;
use apalis::prelude::{Task, TaskBuilder};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use serde::Serialize;

use super::kinds::JobKind;
use crate::error::{AppError, AppResult};

/// Connections of the queue's own pool on PostgreSQL: one worker per job kind polls, and
/// enqueueing is one short statement.
const QUEUE_CONNECTIONS: u32 = 4;

/// Where jobs are stored: the server's database, whichever it is.
#[derive(Clone)]
pub enum JobQueue {
    Sqlite(apalis_sqlite::SqlitePool),
    Postgres(apalis_postgres::PgPool),
}

impl JobQueue {
    /// Creates (or upgrades) apalis's tables in `db` and answers the queue on its pool.
    pub async fn setup(db: &DatabaseConnection) -> anyhow::Result<JobQueue> {
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool().clone();
                // Only the migrations: `SqliteStorage::setup` would also set pragmas on one of
                // the pool's connections (`synchronous = OFF` among them) that the server's own
                // writes do not want.
                SqliteStorage::migrations()
                    .run(&pool)
                    .await
                    .map_err(anyhow::Error::from)?;
                Ok(JobQueue::Sqlite(pool))
            }
            DatabaseBackend::Postgres => {
                // A pool of its own, never SeaORM's: apalis's workers poll in transactions, and
                // a worker stopped while its `BEGIN` awaits an answer leaves that `BEGIN` open
                // on the connection it returns (sqlx 0.9 counts the transaction begun only
                // once answered; see `db::begin_write`). On a shared pool the server's next
                // statements there would run inside a transaction no one commits; here the
                // queue's own next transaction on that connection commits it.
                let server = db.get_postgres_connection_pool();
                let pool = PgPoolOptions::new()
                    .max_connections(QUEUE_CONNECTIONS)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with((*server.connect_options()).clone())
                    .await?;
                PostgresStorage::setup(&pool).await?;
                Ok(JobQueue::Postgres(pool))
            }
            other => anyhow::bail!("no job queue for the database {other:?}"),
        }
    }

    /// Queues a job of `kind` unless one with the same `key` was ever queued: the key makes
    /// enqueueing idempotent (a note's refinement is queued once, however often it is asked).
    pub async fn push<A: Serialize>(
        &self,
        kind: JobKind,
        args: &A,
        key: &str,
        max_attempts: usize,
    ) -> AppResult<()> {
        let bytes = serde_json::to_vec(args).map_err(|err| AppError::Internal(err.into()))?;
        let task: Task<Vec<u8>> = TaskBuilder::new(bytes)
            .max_attempts(max_attempts.max(1))
            .idempotency_key(key)
            .build();
        match self {
            JobQueue::Sqlite(pool) => {
                // SQLite's insert skips a duplicate key (`ON CONFLICT DO NOTHING`).
                let mut conn = pool.acquire().await.map_err(queue_error)?;
                apalis_sqlite::queries::push_tasks(&mut *conn, kind.queue(), &[task])
                    .await
                    .map_err(queue_error)
            }
            JobQueue::Postgres(pool) => {
                // In a transaction, so the job is committed when this returns whatever a
                // stopped worker left open on the connection (see `setup`).
                let mut txn = pool.begin().await.map_err(queue_error)?;
                match apalis_postgres::queries::push_tasks(&mut *txn, kind.queue(), vec![task])
                    .await
                {
                    Ok(()) => txn.commit().await.map_err(queue_error),
                    // PostgreSQL's insert refuses a duplicate key: it was queued before.
                    Err(apalis_postgres::Error::Database(sqlx_error))
                        if sqlx_error
                            .as_database_error()
                            .is_some_and(|e| e.is_unique_violation()) =>
                    {
                        Ok(())
                    }
                    Err(err) => Err(queue_error(err)),
                }
            }
        }
    }
}

pub fn queue_error(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(anyhow::Error::new(err).context("the job queue"))
}

/// How long a job waits before its next try: `first`, then doubling up to `max`.
#[derive(Debug, Clone)]
pub struct DoublingBackoff {
    next: Duration,
    max: Duration,
}

impl DoublingBackoff {
    pub fn new(first: Duration, max: Duration) -> Self {
        DoublingBackoff { next: first, max }
    }

    /// The wait before the next try, and the one after it.
    fn step(&mut self) -> Duration {
        let wait = self.next.min(self.max);
        self.next = (self.next * 2).min(self.max);
        wait
    }
}

impl Backoff for DoublingBackoff {
    type Future = tokio::time::Sleep;

    fn next_backoff(&mut self) -> Self::Future {
        tokio::time::sleep(self.step())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let mut backoff =
            DoublingBackoff::new(Duration::from_millis(100), Duration::from_millis(500));
        let waits: Vec<u128> = (0..5).map(|_| backoff.step().as_millis()).collect();
        assert_eq!(waits, vec![100, 200, 400, 500, 500]);
    }
}
