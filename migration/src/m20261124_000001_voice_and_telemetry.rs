//! Voice sessions and telemetry: the server-owned voice session (PROTOCOL.md section 5) with its
//! transition log, and the telemetry events of clients and of the server itself (section 10).
//!
//! `voice_sessions.video_id` has no foreign key yet: videos arrive in a later migration.
//! `telemetry_events` has no foreign keys at all, so telemetry outlives the sessions, devices
//! and users it names.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_voice_sessions(manager).await?;
        create_voice_session_transitions(manager).await?;
        create_telemetry_events(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Reverse order of creation; indexes go with their tables.
        for table in [
            TelemetryEvents::Table.into_iden(),
            VoiceSessionTransitions::Table.into_iden(),
            VoiceSessions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

// The two helpers below are copies of the foundation migration's: a migration is frozen once
// shipped, so it does not share code that a later change could alter under it.

/// `ON DELETE CASCADE ON UPDATE CASCADE` foreign key named `name`.
fn cascade_fk(
    name: &str,
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Index `name` on `table(cols...)`, unique when `unique`.
async fn create_index<T, C, I>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: I,
    unique: bool,
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIndexColumn,
    I: IntoIterator<Item = C>,
{
    let mut index = Index::create();
    index.name(name).table(table);
    if unique {
        index.unique();
    }
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

async fn create_voice_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(VoiceSessions::Table)
                .col(
                    ColumnDef::new(VoiceSessions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(VoiceSessions::UserId).uuid().not_null())
                .col(ColumnDef::new(VoiceSessions::DeviceId).uuid().not_null())
                .col(ColumnDef::new(VoiceSessions::VideoId).uuid().null())
                .col(ColumnDef::new(VoiceSessions::TabId).integer().not_null())
                .col(
                    ColumnDef::new(VoiceSessions::PageInstanceId)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(VoiceSessions::State).string().not_null())
                .col(
                    ColumnDef::new(VoiceSessions::LastAppliedSeq)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(VoiceSessions::Counters)
                        .json_binary()
                        .not_null(),
                )
                // The full state-machine snapshot, from which a restarted server rebuilds it.
                .col(
                    ColumnDef::new(VoiceSessions::Machine)
                        .json_binary()
                        .not_null(),
                )
                .col(timestamp(VoiceSessions::StartedAt))
                .col(timestamp(VoiceSessions::UpdatedAt))
                .col(timestamp(VoiceSessions::LastEventAt))
                .col(
                    ColumnDef::new(VoiceSessions::EndedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(VoiceSessions::EndReason).string().null())
                .foreign_key(&mut cascade_fk(
                    "fk_voice_sessions_user_id",
                    VoiceSessions::Table,
                    VoiceSessions::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut cascade_fk(
                    "fk_voice_sessions_device_id",
                    VoiceSessions::Table,
                    VoiceSessions::DeviceId,
                    Devices::Table,
                    Devices::Id,
                ))
                .to_owned(),
        )
        .await?;
    // "The user's live session" and "the device's live session" are lookups with
    // `ended_at IS NULL`; both also serve the cascades.
    create_index(
        manager,
        "idx_voice_sessions_user_id_ended_at",
        VoiceSessions::Table,
        [VoiceSessions::UserId, VoiceSessions::EndedAt],
        false,
    )
    .await?;
    create_index(
        manager,
        "idx_voice_sessions_device_id_ended_at",
        VoiceSessions::Table,
        [VoiceSessions::DeviceId, VoiceSessions::EndedAt],
        false,
    )
    .await
}

async fn create_voice_session_transitions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(VoiceSessionTransitions::Table)
                .col(
                    ColumnDef::new(VoiceSessionTransitions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(VoiceSessionTransitions::SessionId)
                        .uuid()
                        .not_null(),
                )
                // The event seq that caused the transition; timers and commands have none.
                .col(
                    ColumnDef::new(VoiceSessionTransitions::Seq)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(VoiceSessionTransitions::FromState)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(VoiceSessionTransitions::ToState)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(VoiceSessionTransitions::Cause)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(VoiceSessionTransitions::Command)
                        .string()
                        .null(),
                )
                .col(timestamp(VoiceSessionTransitions::OccurredAt))
                .foreign_key(&mut cascade_fk(
                    "fk_voice_session_transitions_session_id",
                    VoiceSessionTransitions::Table,
                    VoiceSessionTransitions::SessionId,
                    VoiceSessions::Table,
                    VoiceSessions::Id,
                ))
                .to_owned(),
        )
        .await?;
    create_index(
        manager,
        "idx_voice_session_transitions_session_id_occurred_at",
        VoiceSessionTransitions::Table,
        [
            VoiceSessionTransitions::SessionId,
            VoiceSessionTransitions::OccurredAt,
        ],
        false,
    )
    .await
}

async fn create_telemetry_events(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // No foreign keys: telemetry outlives the sessions, devices and users it names.
    manager
        .create_table(
            Table::create()
                .table(TelemetryEvents::Table)
                .col(
                    ColumnDef::new(TelemetryEvents::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                // Whose id space `event_id` belongs to: a device id, `web:<user id>`, or
                // `server`.
                .col(
                    ColumnDef::new(TelemetryEvents::ClientKey)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(TelemetryEvents::EventId).string().not_null())
                .col(ColumnDef::new(TelemetryEvents::UserId).uuid().null())
                .col(ColumnDef::new(TelemetryEvents::DeviceId).uuid().null())
                .col(ColumnDef::new(TelemetryEvents::SessionId).uuid().null())
                .col(ColumnDef::new(TelemetryEvents::Name).string().not_null())
                .col(ColumnDef::new(TelemetryEvents::Level).string().not_null())
                .col(timestamp(TelemetryEvents::OccurredAt))
                .col(timestamp(TelemetryEvents::ReceivedAt))
                .col(
                    ColumnDef::new(TelemetryEvents::Properties)
                        .json_binary()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TelemetryEvents::ClientVersion)
                        .string()
                        .null(),
                )
                .col(ColumnDef::new(TelemetryEvents::Source).string().not_null())
                .to_owned(),
        )
        .await?;
    // Ingestion is idempotent on this pair.
    create_index(
        manager,
        "uq_telemetry_events_client_key_event_id",
        TelemetryEvents::Table,
        [TelemetryEvents::ClientKey, TelemetryEvents::EventId],
        true,
    )
    .await?;
    create_index(
        manager,
        "idx_telemetry_events_name_occurred_at",
        TelemetryEvents::Table,
        [TelemetryEvents::Name, TelemetryEvents::OccurredAt],
        false,
    )
    .await?;
    create_index(
        manager,
        "idx_telemetry_events_session_id",
        TelemetryEvents::Table,
        [TelemetryEvents::SessionId],
        false,
    )
    .await?;
    create_index(
        manager,
        "idx_telemetry_events_user_id_occurred_at",
        TelemetryEvents::Table,
        [TelemetryEvents::UserId, TelemetryEvents::OccurredAt],
        false,
    )
    .await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Devices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VoiceSessions {
    Table,
    Id,
    UserId,
    DeviceId,
    VideoId,
    TabId,
    PageInstanceId,
    State,
    LastAppliedSeq,
    Counters,
    Machine,
    StartedAt,
    UpdatedAt,
    LastEventAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum VoiceSessionTransitions {
    Table,
    Id,
    SessionId,
    Seq,
    FromState,
    ToState,
    Cause,
    Command,
    OccurredAt,
}

#[derive(DeriveIden)]
enum TelemetryEvents {
    Table,
    Id,
    ClientKey,
    EventId,
    UserId,
    DeviceId,
    SessionId,
    Name,
    Level,
    OccurredAt,
    ReceivedAt,
    Properties,
    ClientVersion,
    Source,
}
