//! Finished jobs leave apalis's table after `LOSSY_JOBS_RETENTION_SECS` (7 days): done jobs,
//! and dead ones too, both counted from their last try (apalis's `done_at`). A dead job is
//! kept that long so that an admin can see and retry it; after that its note keeps what the
//! job left (a `FAILED` refinement, a `FAILED` posting the reviewer can post again), and the
//! job is not missed. Jobs still to run (pending, running, failed with tries left) are never
//! pruned, whatever their age.
//!
//! Pruning a job frees its idempotency key. That is safe because nothing pushes a finished
//! job's key again: a posting's key is its delivery id, pushed again only while its note is
//! `queued` or `posting`; a refinement's is pushed again only while it is `pending` on a note
//! not deleted, and a finished refinement job left it `done` or `failed` (or its note deleted).
//!
//! apalis's own `vacuum` is not used: it takes every finished job at once, and then runs
//! `VACUUM` on the server's database.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use super::admin::{JobState, placeholder, table};
use super::kinds::JobKind;
use crate::db::WriteLane;
use crate::error::AppResult;

/// Jobs deleted per statement: each batch holds SQLite's write turn only briefly.
const BATCH: i64 = 500;

/// Deletes the finished jobs (done or dead) whose last try ended before `before`; answers
/// how many.
pub async fn prune(lane: &WriteLane, before: DateTime<Utc>) -> AppResult<u64> {
    let mut pruned = 0;
    loop {
        let deleted = {
            let _turn = lane.turn().await;
            prune_batch(&lane.db, before).await?
        };
        pruned += deleted;
        if deleted < BATCH as u64 {
            return Ok(pruned);
        }
    }
}

async fn prune_batch(db: &impl ConnectionTrait, before: DateTime<Utc>) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = JobKind::ALL.iter().map(|k| k.queue().into()).collect();
    let kinds: Vec<String> = (1..=values.len())
        .map(|n| placeholder(backend, n))
        .collect();
    values.push(before.timestamp().into());
    let before_slot = placeholder(backend, values.len());
    // apalis keeps `done_at` as Unix seconds on SQLite, as a timestamp on PostgreSQL.
    let ended_before = match backend {
        DatabaseBackend::Postgres => format!("done_at < to_timestamp({before_slot})"),
        _ => format!("done_at < {before_slot}"),
    };
    values.push(BATCH.into());
    let sql = format!(
        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE job_type IN ({kinds}) \
         AND done_at IS NOT NULL AND {ended_before} AND ({done} OR {dead}) LIMIT {limit})",
        table = table(backend),
        kinds = kinds.join(", "),
        done = JobState::Done.condition(),
        dead = JobState::Dead.condition(),
        limit = placeholder(backend, values.len()),
    );
    let deleted = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(deleted.rows_affected())
}

/// How often the pruner looks: a 24th of the retention, between a second and an hour (as
/// the note events' pruning).
pub fn period(retention: Duration) -> Duration {
    (retention / 24).clamp(Duration::from_secs(1), Duration::from_secs(3600))
}

/// Prunes finished jobs past `retention` now and then, until `stopped` says stop.
pub async fn prune_finished(
    lane: WriteLane,
    retention: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval(period(retention));
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
        // A retention longer than the calendar reaches back: no job is that old.
        let Some(before) = chrono::Duration::from_std(retention)
            .ok()
            .and_then(|retention| Utc::now().checked_sub_signed(retention))
        else {
            continue;
        };
        match prune(&lane, before).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "pruned finished jobs past retention"),
            Err(err) => tracing::warn!(error = ?err, "could not prune finished jobs"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pruner_looks_a_24th_of_the_retention_apart_within_bounds() {
        assert_eq!(
            period(Duration::from_secs(7 * 24 * 3600)),
            Duration::from_secs(3600)
        );
        assert_eq!(period(Duration::from_secs(240)), Duration::from_secs(10));
        assert_eq!(period(Duration::from_secs(2)), Duration::from_secs(1));
    }
}
