//! Connecting to the database (SQLite in the data folder, or PostgreSQL) and migrating it.

pub mod batch;
pub mod keyset;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lossy_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{Mutex, MutexGuard};

use crate::config::StorageConfig;

/// Connects without migrating.
pub async fn connect(storage: &StorageConfig) -> anyhow::Result<DatabaseConnection> {
    let url = storage.resolved_database_url();
    let sqlite = url.starts_with("sqlite:");
    if sqlite {
        std::fs::create_dir_all(&storage.data_dir)
            .with_context(|| format!("creating the data folder {}", storage.data_dir.display()))?;
    }
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if sqlite {
        // WAL lets readers run beside the one writer; the busy timeout makes writers queue
        // instead of failing; foreign keys are off by default in SQLite. Checkpoints are left
        // to `checkpoint_wal` rather than done inside whichever commit fills the WAL.
        options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("wal_autocheckpoint", "0")
        });
    } else {
        options.max_connections(32);
    }
    Database::connect(options)
        .await
        .context("connecting to the database (check LOSSY_DATABASE_URL / DATABASE_URL)")
}

/// Begins a transaction that will write. Every writing transaction starts here.
///
/// On SQLite it is IMMEDIATE, taking the write lock up front: a deferred transaction that reads
/// and then writes fails at once (SQLITE_BUSY_SNAPSHOT, seen by the caller as an internal
/// error) if another connection committed in between, because its snapshot is stale; waiting
/// for the lock instead honours the busy timeout. PostgreSQL ignores the mode.
///
/// The begin runs on a task of its own, so that it always finishes. sqlx (0.9) counts a
/// PostgreSQL transaction as begun only once the answer to its `BEGIN` is read; a begin
/// cancelled before that (a task stopped at shutdown, a `select!` branch that lost) leaves the
/// `BEGIN` queued on a connection that goes back to the pool with nothing to roll it back, and
/// whoever takes that connection next writes inside a transaction no one commits. Finished on
/// its own task, a begin whose caller has gone yields a transaction that is dropped, and so
/// rolled back, like any other (`tests/tests/api/database.rs`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let db = db.clone();
    let begun = tokio::spawn(async move {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    });
    begun
        .await
        .map_err(|err| DbErr::Custom(format!("beginning a transaction: {err}")))?
}

/// The connection the server's background writers (voice steps, telemetry) share, and on
/// SQLite the turn they take to write.
///
/// SQLite lets one connection write at a time; a second writer that finds the database locked
/// sleeps in SQLite's busy handler (1, 2, 5, ... up to 100 ms between tries) rather than
/// queueing. Two writers that are both busy under load kept meeting that way, and the sleeps
/// became the voice latency's tail (docs/benchmarks.md). Taking turns here queues them instead.
/// PostgreSQL takes concurrent writers as they come, so there is no turn to take.
#[derive(Clone)]
pub struct WriteLane {
    pub db: DatabaseConnection,
    turn: Option<Arc<Mutex<()>>>,
}

impl WriteLane {
    /// A lane of its own; clone it to share the turn.
    pub fn new(db: DatabaseConnection) -> WriteLane {
        let sqlite = db.get_database_backend() == DatabaseBackend::Sqlite;
        WriteLane {
            turn: sqlite.then(Arc::default),
            db,
        }
    }

    /// Waits for this lane's turn; hold it over the whole transaction.
    pub async fn turn(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.turn {
            Some(turn) => Some(turn.lock().await),
            None => None,
        }
    }
}

/// How often the server checkpoints SQLite's WAL in the background.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// WAL pages past which the checkpointer takes the writers' turn to restart the WAL (128 MiB
/// at SQLite's 4 KiB pages). Each restart holds every writer for about 20 ms, so it sets the
/// tail under load; with notes as well as voice steps, 1,000 sessions wrote 32 MiB in well
/// under a second, and restarting at 32 MiB tripled the notes' p99 (docs/benchmarks.md). The
/// price is disk: the WAL file keeps its largest size, up to about 160 MiB under that load.
const RESTART_WAL_AT: i64 = 32768;

/// Checkpoints SQLite's WAL in the background, for as long as it runs (nothing to do on
/// PostgreSQL).
///
/// With `synchronous=NORMAL`, a WAL commit never waits for the disk but a checkpoint syncs
/// twice. SQLite's automatic checkpoint runs inside the commit that fills the WAL, so a voice
/// step now and then waited for those syncs: that was the latency tail (docs/benchmarks.md).
/// Here a passive checkpoint runs beside the writers instead. Writers that commit during it
/// keep the WAL from starting over, so once it has grown past [`RESTART_WAL_AT`] the
/// checkpointer takes the writers' turn once to finish and restart it.
pub async fn checkpoint_wal(lane: WriteLane) {
    if lane.turn.is_none() {
        return;
    }
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(err) = checkpoint_once(&lane, RESTART_WAL_AT).await {
            tracing::warn!(error = %err, "checkpointing the SQLite WAL failed");
        }
    }
}

/// One passive checkpoint, then a restarting one in the writers' turn if the WAL held more
/// than `restart_at` pages. Answers the pages the WAL held.
async fn checkpoint_once(lane: &WriteLane, restart_at: i64) -> Result<i64, sea_orm::DbErr> {
    let pages = checkpoint(&lane.db, "PASSIVE").await?;
    if pages > restart_at {
        let _turn = lane.turn().await;
        checkpoint(&lane.db, "RESTART").await?;
    }
    Ok(pages)
}

/// Runs one checkpoint in `mode` and answers the pages the WAL held; its duration goes to
/// `lossy_sqlite_checkpoint_seconds{mode}`.
async fn checkpoint(db: &DatabaseConnection, mode: &str) -> Result<i64, sea_orm::DbErr> {
    let sql = format!("PRAGMA wal_checkpoint({mode})");
    let started = std::time::Instant::now();
    let row = db
        .query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, sql))
        .await?;
    metrics::histogram!("lossy_sqlite_checkpoint_seconds", "mode" => mode.to_owned())
        .record(started.elapsed().as_secs_f64());
    // The row is (busy, pages in the WAL, pages checkpointed).
    row.map_or(Ok(0), |row| row.try_get_by_index::<i64>(1))
}

/// Connects and applies every pending migration.
pub async fn connect_and_migrate(storage: &StorageConfig) -> anyhow::Result<DatabaseConnection> {
    let db = connect(storage).await?;
    Migrator::up(&db, None)
        .await
        .context("applying migrations")?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    async fn sqlite_lane(dir: &std::path::Path) -> WriteLane {
        let storage = StorageConfig {
            data_dir: dir.to_path_buf(),
            database_url: None,
        };
        let db = connect(&storage).await.unwrap();
        db.execute_unprepared("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)")
            .await
            .unwrap();
        WriteLane::new(db)
    }

    /// Writes about `pages` pages of rows, one transaction each.
    async fn fill(db: &DatabaseConnection, pages: usize) {
        for _ in 0..pages {
            db.execute_unprepared("INSERT INTO filler (body) VALUES (hex(randomblob(2000)))")
                .await
                .unwrap();
        }
    }

    async fn count(db: &impl ConnectionTrait) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) FROM filler",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index(0).unwrap()
    }

    const INSERT: &str = "INSERT INTO filler (body) VALUES ('x')";

    #[tokio::test]
    async fn a_transaction_that_reads_then_writes_commits_when_another_connection_wrote_meanwhile()
    {
        let dir = tempfile::tempdir().unwrap();
        let lane = sqlite_lane(dir.path()).await;

        // The failure begin_write exists for: a deferred transaction's snapshot goes stale when
        // another connection commits after its first read, and its write is refused at once.
        let deferred = lane.db.begin().await.unwrap();
        assert_eq!(count(&deferred).await, 0);
        lane.db.execute_unprepared(INSERT).await.unwrap();
        let refused = deferred.execute_unprepared(INSERT).await;
        assert!(refused.is_err(), "the stale deferred write went through");
        drop(deferred);

        let txn = begin_write(&lane.db).await.unwrap();
        assert_eq!(count(&txn).await, 1);
        let other = {
            let db = lane.db.clone();
            tokio::spawn(async move { db.execute_unprepared(INSERT).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !other.is_finished(),
            "the other writer did not wait for the lock"
        );
        txn.execute_unprepared(INSERT).await.unwrap();
        txn.commit().await.unwrap();
        other.await.unwrap().unwrap();
        assert_eq!(count(&lane.db).await, 3);
    }

    #[tokio::test]
    async fn commits_leave_the_wal_to_the_checkpointer_and_it_starts_the_wal_over() {
        let dir = tempfile::tempdir().unwrap();
        let lane = sqlite_lane(dir.path()).await;
        // Past SQLite's automatic checkpoint (1,000 pages), which is off here.
        fill(&lane.db, 1200).await;
        let held = checkpoint_once(&lane, i64::MAX).await.unwrap();
        assert!(
            held > 1000,
            "the WAL was checkpointed by a commit: {held} pages"
        );

        let held = checkpoint_once(&lane, 100).await.unwrap();
        assert!(held > 1000);
        // Restarted: the next commit writes from the start of the WAL.
        fill(&lane.db, 1).await;
        let held = checkpoint(&lane.db, "PASSIVE").await.unwrap();
        assert!(held < 10, "the WAL did not restart: {held} pages");
    }
}
