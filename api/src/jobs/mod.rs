//! Durable jobs (PROTOCOL.md section 6.2, docs/jobs.md) on apalis, whose queue lives in the
//! server's own database and shares SeaORM's pool: a job queued is a row, so it survives a
//! crash, and a worker that dies mid-job has its job taken over once its heartbeat stops.
//!
//! Read in this order:
//! - [`kinds`]: the kinds of job and what each carries (ids only).
//! - [`queue`]: the storage (SQLite or PostgreSQL), idempotent enqueueing, the backoff.
//! - [`write`]: how a job changes a note (version-checked, with a `NoteUpdated`).
//! - [`refine`]: `RefineNote`, the LLM's note published after the built-in one.
//! - [`post`]: `PostNote`, a note delivered to the user's webhook (`crate::integrations`).
//! - [`admin`] and [`graphql`]: the admin's list and the retry of a dead job; [`loaders`]
//!   read each note's refinement and posting for `Note`.
//! - [`prune`]: finished jobs leave the queue's table after the retention.
//!
//! [`Workers`] runs one apalis worker per kind beside the server, and the pruner, and stops
//! them on shutdown.

pub mod admin;
pub mod graphql;
pub mod kinds;
pub mod loaders;
pub mod post;
pub mod prune;
pub mod queue;
pub mod refine;
pub mod write;

use std::time::Duration;

use apalis::prelude::{BackendExt, RetryPolicy, WorkerBuilder, WorkerBuilderExt};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use lossy_entities::{note_posts, note_refinements, notes};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use tokio::task::JoinHandle;

use crate::config::JobsConfig;
use crate::error::AppResult;
use crate::integrations::webhook::WebhookClient;
use crate::notes::status::NoteStatus;
use crate::state::AppState;
use kinds::{JobKind, PostNote};
use queue::{DoublingBackoff, JobQueue};

/// The jobs' shared parts: the queue to push to, and the webhook client (pooled).
pub struct Jobs {
    pub queue: JobQueue,
    pub webhooks: WebhookClient,
}

impl Jobs {
    /// Sets up the queue's tables on `db`.
    pub async fn setup(
        db: &sea_orm::DatabaseConnection,
        config: &JobsConfig,
    ) -> anyhow::Result<Jobs> {
        Ok(Jobs {
            queue: JobQueue::setup(db).await?,
            webhooks: integrations_client(config)?,
        })
    }
}

fn integrations_client(config: &JobsConfig) -> anyhow::Result<WebhookClient> {
    Ok(WebhookClient::new(
        Duration::from_millis(config.webhook_timeout_ms),
        config.webhook_allow_private,
    )?)
}

/// The running workers; [`Workers::stop`] ends them.
pub struct Workers {
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// Starts a worker per kind (`RefineNote` only with an LLM configured), the pruner of
/// finished jobs, and the sweep that queues what a crash left unqueued.
pub fn start(state: &AppState) -> Workers {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    if state.refiner.is_some() {
        tasks.push(tokio::spawn(supervise(
            state.clone(),
            JobKind::RefineNote,
            stopped.clone(),
        )));
    }
    tasks.push(tokio::spawn(supervise(
        state.clone(),
        JobKind::PostNote,
        stopped.clone(),
    )));
    tasks.push(tokio::spawn(prune::prune_finished(
        state.lane.clone(),
        Duration::from_secs(state.config.jobs.retention_secs),
        stopped,
    )));
    let app = state.clone();
    tasks.push(tokio::spawn(async move {
        if let Err(err) = sweep(&app).await {
            tracing::warn!(error = ?err, "queueing the jobs a stop left unqueued failed");
        }
    }));
    Workers { stop, tasks }
}

impl Workers {
    /// Tells the workers to stop taking jobs, waits up to `grace` for the running ones to
    /// finish (the queue takes back what they had fetched), then ends them. A job cut short
    /// is run again later: every job is safe to run twice.
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let aborts: Vec<_> = self.tasks.iter().map(JoinHandle::abort_handle).collect();
        let all = futures_util::future::join_all(self.tasks);
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("some job workers did not stop in time; their jobs run again later");
            for abort in aborts {
                abort.abort();
            }
        }
    }
}

/// Runs the worker of `kind` until told to stop, starting it again (under a new name) if it
/// fails, e.g. when the database was unreachable for a while.
async fn supervise(app: AppState, kind: JobKind, mut stopped: tokio::sync::watch::Receiver<bool>) {
    loop {
        // A new name each run: apalis refuses a name whose last heartbeat is recent, and a
        // crashed server's worker keeps its jobs until its heartbeat is seen to have stopped.
        let name = format!("{}-{}", kind.queue(), uuid::Uuid::new_v4().simple());
        let mut signal = stopped.clone();
        let until = async move {
            let _ = signal.wait_for(|stop| *stop).await;
            Ok::<(), std::io::Error>(())
        };
        let result = run_worker(&app, kind, &name, until).await;
        if *stopped.borrow() {
            return;
        }
        match result {
            Ok(()) => tracing::warn!(worker = %name, "a job worker ended; starting it again"),
            Err(err) => {
                tracing::error!(worker = %name, error = %err, "a job worker failed; starting it again")
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

/// What one try answers the queue, after counting a try that leaves its job dead
/// (`lossy_jobs_dead_total{kind}`, which the dead-letter alert in docs/ops watches): one that
/// gave up (an `AbortError`), or failed on its last allowed try.
pub(crate) fn settle(
    kind: JobKind,
    attempt: i32,
    max_attempts: u32,
    result: Result<(), apalis::prelude::BoxDynError>,
) -> Result<(), apalis::prelude::BoxDynError> {
    if let Err(err) = &result {
        let gave_up = err.downcast_ref::<apalis::prelude::AbortError>().is_some();
        if gave_up || i64::from(attempt) >= i64::from(max_attempts) {
            metrics::counter!("lossy_jobs_dead_total", "kind" => kind.queue()).increment(1);
        }
    }
    result
}

/// One worker over the storage of the server's database. Written out per storage and kind
/// (a macro) because apalis's worker types are each storage's own.
async fn run_worker(
    app: &AppState,
    kind: JobKind,
    name: &str,
    until: impl Future<Output = Result<(), std::io::Error>> + Send + 'static,
) -> Result<(), apalis::prelude::WorkerError> {
    let config = &app.config.jobs;
    let poll = Duration::from_millis(config.poll_ms.max(10));
    let heartbeat = Duration::from_secs(config.heartbeat_secs.max(1));
    let backoff = DoublingBackoff::new(
        Duration::from_millis(config.backoff_ms),
        Duration::from_secs(60),
    );
    // Tries after the first; the last try's failure leaves the job dead.
    let retries = |attempts: u32| (attempts.max(1) - 1) as usize;
    macro_rules! worker {
        ($storage:expr, $config:ty, $handler:path, $attempts:expr) => {{
            let storage = $storage.with_config(
                <$config>::default()
                    .queue(kind.queue())
                    .heartbeat_interval(heartbeat)
                    .missed_heartbeats(MISSED_HEARTBEATS),
            );
            WorkerBuilder::new(name)
                .backend(storage.poll_with_interval(poll))
                .data(app.clone())
                .retry(RetryPolicy::retries(retries($attempts)).with_backoff(backoff.clone()))
                .build($handler)
                .run_until(until)
                .await
        }};
    }
    match (&app.jobs.queue, kind) {
        (JobQueue::Sqlite(pool), JobKind::RefineNote) => worker!(
            SqliteStorage::<kinds::RefineNote>::new(pool),
            apalis_sqlite::Config,
            refine::run,
            config.refine_attempts
        ),
        (JobQueue::Sqlite(pool), JobKind::PostNote) => worker!(
            SqliteStorage::<PostNote>::new(pool),
            apalis_sqlite::Config,
            post::run,
            config.post_attempts
        ),
        (JobQueue::Postgres(pool), JobKind::RefineNote) => worker!(
            PostgresStorage::<kinds::RefineNote>::new(pool),
            apalis_postgres::Config,
            refine::run,
            config.refine_attempts
        ),
        (JobQueue::Postgres(pool), JobKind::PostNote) => worker!(
            PostgresStorage::<PostNote>::new(pool),
            apalis_postgres::Config,
            post::run,
            config.post_attempts
        ),
    }
}

/// Heartbeats a worker may miss before its jobs are given to another.
const MISSED_HEARTBEATS: usize = 3;

/// Queues again what a stop between a note's write and its job's enqueueing left unqueued:
/// refinements still pending, postings still queued or posting. Enqueueing is idempotent, so
/// jobs that exist are left alone.
///
/// A deleted note's refinement stays pending (its job ended without a change) and is not
/// queued again: once that job is pruned its key is free, and it would otherwise be queued,
/// and end at once, after every start.
async fn sweep(app: &AppState) -> AppResult<()> {
    if app.refiner.is_some() {
        let pending: Vec<uuid::Uuid> = note_refinements::Entity::find()
            .select_only()
            .column(note_refinements::Column::NoteId)
            .filter(note_refinements::Column::State.eq(refine::RefinementState::Pending.as_str()))
            .filter(
                note_refinements::Column::NoteId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(notes::Column::Id)
                        .from(notes::Entity)
                        .and_where(notes::Column::DeletedAt.is_null())
                        .to_owned(),
                ),
            )
            .into_tuple()
            .all(&app.db)
            .await?;
        for note_id in pending {
            refine::push(app, note_id).await?;
        }
    }
    let moving: Vec<(uuid::Uuid, String)> = note_posts::Entity::find()
        .select_only()
        .column(note_posts::Column::NoteId)
        .column(note_posts::Column::DeliveryId)
        .filter(
            note_posts::Column::NoteId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(notes::Column::Id)
                    .from(notes::Entity)
                    .and_where(
                        notes::Column::Status
                            .is_in([NoteStatus::Queued.as_str(), NoteStatus::Posting.as_str()]),
                    )
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(&app.db)
        .await?;
    for (note_id, delivery_id) in moving {
        post::push(
            app,
            &PostNote {
                note_id,
                delivery_id,
            },
        )
        .await?;
    }
    Ok(())
}
