//! The admin's `jobs(state, kind, first, after)` and `retryJob(id)`.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::admin::{self, JobFilter, JobRecord, JobState};
use super::kinds::JobKind;
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;

/// A durable job (docs/jobs.md).
pub struct Job(pub JobRecord);

#[Object]
impl Job {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    async fn kind(&self) -> JobKind {
        self.0.kind
    }

    async fn state(&self) -> JobState {
        self.0.state
    }

    /// Tries made so far.
    async fn attempts(&self) -> i64 {
        self.0.attempts
    }

    async fn max_attempts(&self) -> i64 {
        self.0.max_attempts
    }

    /// The note the job is about.
    async fn note_id(&self) -> Option<ID> {
        self.0.note_id.map(|id| ID(id.to_string()))
    }

    /// When it was queued to run (second precision).
    async fn run_at(&self) -> Option<DateTime<Utc>> {
        self.0.run_at
    }

    /// When its last try ended.
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }

    /// The last try's result as the queue keeps it: the error of a failed try.
    async fn last_result(&self) -> Option<&str> {
        self.0.last_result.as_deref()
    }
}

#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// Admin: the durable jobs, newest first.
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        state: Option<JobState>,
        kind: Option<JobKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Job>> {
        ctx.admin()?;
        let app = ctx.state();
        let page = Page::<String>::parse(first, after.as_deref(), app.config.max_page_size)?;
        let filter = JobFilter { state, kind };
        let rows = admin::page(&app.db, &filter, page.after.as_deref(), page.fetch_limit()).await?;
        Ok(page.connection(rows, |job| job.id.clone(), Job))
    }
}

#[derive(Default)]
pub struct JobsMutation;

#[Object]
impl JobsMutation {
    /// Admin: runs a dead job again, its tries counted from zero, and puts its note back
    /// where the job starts (refinement `PENDING`, status `QUEUED`).
    async fn retry_job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Job> {
        ctx.admin()?;
        Ok(Job(admin::retry(ctx.state(), &id).await?))
    }
}
