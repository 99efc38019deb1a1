//! Connecting to the database (SQLite in the data folder, or PostgreSQL) and migrating it.

use std::time::Duration;

use anyhow::Context;
use lossy_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

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
        // instead of failing; foreign keys are off by default in SQLite.
        options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        options.max_connections(32);
    }
    Database::connect(options)
        .await
        .context("connecting to the database (check LOSSY_DATABASE_URL / DATABASE_URL)")
}

/// Connects and applies every pending migration.
pub async fn connect_and_migrate(storage: &StorageConfig) -> anyhow::Result<DatabaseConnection> {
    let db = connect(storage).await?;
    Migrator::up(&db, None)
        .await
        .context("applying migrations")?;
    Ok(db)
}
