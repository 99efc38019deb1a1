//! The admin console's health page: `serverHealth` (this process's version, node and uptime,
//! a timed round trip to the database, the job queue, open sockets and live voice sessions)
//! and `jobCounts(kind)`. `/healthz` and `/readyz` (`crate::http::health`) answer the same
//! questions for load balancers, without the figures.

use std::time::{Duration, Instant};

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::graphql_kit::ContextExt;
use crate::jobs::admin::{self, JobCounts};
use crate::jobs::kinds::JobKind;
use crate::state::AppState;

/// A database round trip slower than this counts as failed.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(5);

/// The database as this server reaches it.
#[derive(Debug, Clone, SimpleObject)]
pub struct DatabaseHealth {
    /// sqlite or postgres
    pub backend: String,
    pub ok: bool,
    /// Round trip of a trivial query.
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

/// This server process as it is now.
#[derive(Debug, Clone, SimpleObject)]
pub struct ServerHealth {
    pub version: String,
    /// The server process (`LOSSY_NODE_ID`).
    pub node: String,
    pub started_at: DateTime<Utc>,
    pub uptime_seconds: i64,
    pub database: DatabaseHealth,
    /// The durable jobs of every kind by state (zeros when the queue cannot be read; the
    /// database's own figure says why).
    pub jobs: JobCounts,
    pub open_sockets: i32,
    pub live_sessions: i32,
}

/// Times `SELECT 1`.
pub async fn database(app: &AppState) -> DatabaseHealth {
    let backend = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    };
    let started = Instant::now();
    let answer =
        tokio::time::timeout(DATABASE_TIMEOUT, app.db.execute_unprepared("SELECT 1")).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (ok, latency_ms, error) = match answer {
        Ok(Ok(_)) => (true, Some(latency_ms), None),
        Ok(Err(err)) => (false, None, Some(err.to_string())),
        Err(_) => (
            false,
            None,
            Some(format!("no answer within {} s", DATABASE_TIMEOUT.as_secs())),
        ),
    };
    DatabaseHealth {
        backend: backend.to_owned(),
        ok,
        latency_ms,
        error,
    }
}

pub async fn server_health(app: &AppState) -> ServerHealth {
    let database = database(app).await;
    let jobs = if database.ok {
        admin::counts(&app.db, None).await.unwrap_or_else(|err| {
            tracing::warn!(error = ?err, "could not count jobs for serverHealth");
            JobCounts::default()
        })
    } else {
        JobCounts::default()
    };
    let now = Utc::now();
    ServerHealth {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        node: app.node.to_string(),
        started_at: app.started_at,
        uptime_seconds: (now - app.started_at).num_seconds().max(0),
        database,
        jobs,
        open_sockets: i32::try_from(app.shutdown.tracked()).unwrap_or(i32::MAX),
        live_sessions: i32::try_from(app.voice.live.count()).unwrap_or(i32::MAX),
    }
}

#[derive(Default)]
pub struct HealthQuery;

#[Object]
impl HealthQuery {
    /// Admin: this server's version, uptime, database round trip, job queue, open sockets and
    /// live voice sessions.
    async fn server_health(&self, ctx: &Context<'_>) -> async_graphql::Result<ServerHealth> {
        ctx.admin()?;
        Ok(server_health(ctx.state()).await)
    }

    /// Admin: the durable jobs by state, of one kind or of all.
    async fn job_counts(
        &self,
        ctx: &Context<'_>,
        kind: Option<JobKind>,
    ) -> async_graphql::Result<JobCounts> {
        ctx.admin()?;
        Ok(admin::counts(&ctx.state().db, kind).await?)
    }
}
