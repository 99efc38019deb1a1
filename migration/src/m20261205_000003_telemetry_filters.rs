//! Indexes for the admin console's explorers (issue 14), so that each filter reads about one
//! page of index entries even among millions of rows.
//!
//! `telemetryEvents` lists newest first by `(occurred_at, id)`. `name`, `user_id` and
//! `session_id` already have indexes (m20261124_000001); this adds one for the unfiltered list
//! and a time range, and one for each remaining filter: `device_id`, `level`, `source`. Each
//! ends with `occurred_at, id`, so the planner walks it in the list's order and stops after a
//! page.
//!
//! `noteQualitySummary` counts decisions of all users over a time range: an index on
//! `note_quality_decisions.created_at` keeps that from reading every decision ever made (one
//! user's range already has `ix_note_quality_decisions_user_time`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Index name, table, columns.
const INDEXES: [(&str, Tables, &[Columns]); 5] = [
    (
        "idx_telemetry_events_occurred_at_id",
        Tables::TelemetryEvents,
        &[Columns::OccurredAt, Columns::Id],
    ),
    (
        "idx_telemetry_events_device_id_occurred_at_id",
        Tables::TelemetryEvents,
        &[Columns::DeviceId, Columns::OccurredAt, Columns::Id],
    ),
    (
        "idx_telemetry_events_level_occurred_at_id",
        Tables::TelemetryEvents,
        &[Columns::Level, Columns::OccurredAt, Columns::Id],
    ),
    (
        "idx_telemetry_events_source_occurred_at_id",
        Tables::TelemetryEvents,
        &[Columns::Source, Columns::OccurredAt, Columns::Id],
    ),
    (
        "idx_note_quality_decisions_created_at",
        Tables::NoteQualityDecisions,
        &[Columns::CreatedAt],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES.into_iter().rev() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Tables {
    TelemetryEvents,
    NoteQualityDecisions,
}

#[derive(DeriveIden, Clone, Copy)]
enum Columns {
    Id,
    OccurredAt,
    DeviceId,
    Level,
    Source,
    CreatedAt,
}
