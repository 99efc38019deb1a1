//! Notes and the video context (PROTOCOL.md sections 6 to 8): the notes themselves, every
//! quality-gate decision, the per-user and per-platform threshold adjustments, and each user's
//! video context (which tab owns the microphone).
//!
//! `notes.utterance_id` is unique per user when present (NULLs never collide, on SQLite and
//! PostgreSQL alike), which is what makes `submitTranscript` idempotent.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_notes(manager).await?;
        create_note_quality_decisions(manager).await?;
        create_quality_adjustments(manager).await?;
        create_video_contexts(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            VideoContexts::Table.into_iden(),
            QualityAdjustments::Table.into_iden(),
            NoteQualityDecisions::Table.into_iden(),
            Notes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn references(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

async fn create_notes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Notes::Table)
                .col(ColumnDef::new(Notes::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Notes::UserId).uuid().not_null())
                .col(ColumnDef::new(Notes::VideoId).uuid().not_null())
                .col(ColumnDef::new(Notes::VoiceSessionId).uuid().null())
                .col(ColumnDef::new(Notes::UtteranceId).string().null())
                .col(ColumnDef::new(Notes::Text).text().not_null())
                .col(ColumnDef::new(Notes::RawTranscript).text().not_null())
                .col(ColumnDef::new(Notes::Category).string().not_null())
                .col(ColumnDef::new(Notes::Confidence).double().not_null())
                .col(ColumnDef::new(Notes::TimestampSeconds).double().not_null())
                .col(ColumnDef::new(Notes::EndSeconds).double().null())
                .col(ColumnDef::new(Notes::Status).string().not_null())
                .col(ColumnDef::new(Notes::QualityDecision).string().not_null())
                .col(ColumnDef::new(Notes::Structurer).string().not_null())
                .col(ColumnDef::new(Notes::Source).string().null())
                .col(ColumnDef::new(Notes::Version).big_integer().not_null())
                .col(timestamp(Notes::CreatedAt))
                .col(timestamp(Notes::UpdatedAt))
                .col(
                    ColumnDef::new(Notes::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Notes::DeleteReason).string().null())
                .foreign_key(&mut references(
                    "fk_notes_user",
                    (Notes::Table, Notes::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut references(
                    "fk_notes_video",
                    (Notes::Table, Notes::VideoId),
                    (Videos::Table, Videos::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // submitTranscript's idempotency key.
    index(
        manager,
        "ux_notes_user_utterance",
        Notes::Table,
        vec![Notes::UserId.into_iden(), Notes::UtteranceId.into_iden()],
        true,
    )
    .await?;
    // `notes(videoId, ...)` pages in (timestampSeconds, id) order.
    index(
        manager,
        "ix_notes_video_timestamp",
        Notes::Table,
        vec![
            Notes::VideoId.into_iden(),
            Notes::TimestampSeconds.into_iden(),
            Notes::Id.into_iden(),
        ],
        false,
    )
    .await?;
    index(
        manager,
        "ix_notes_session",
        Notes::Table,
        vec![Notes::VoiceSessionId.into_iden()],
        false,
    )
    .await
}

async fn create_note_quality_decisions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(NoteQualityDecisions::Table)
                .col(
                    ColumnDef::new(NoteQualityDecisions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::NoteId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::UserId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::VoiceSessionId)
                        .uuid()
                        .null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::Category)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::Confidence)
                        .double()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::Threshold)
                        .double()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::Decision)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NoteQualityDecisions::Reason)
                        .string()
                        .not_null(),
                )
                .col(timestamp(NoteQualityDecisions::CreatedAt))
                .foreign_key(&mut references(
                    "fk_note_quality_decisions_note",
                    (NoteQualityDecisions::Table, NoteQualityDecisions::NoteId),
                    (Notes::Table, Notes::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ix_note_quality_decisions_user_time",
        NoteQualityDecisions::Table,
        vec![
            NoteQualityDecisions::UserId.into_iden(),
            NoteQualityDecisions::CreatedAt.into_iden(),
        ],
        false,
    )
    .await?;
    index(
        manager,
        "ix_note_quality_decisions_note",
        NoteQualityDecisions::Table,
        vec![NoteQualityDecisions::NoteId.into_iden()],
        false,
    )
    .await
}

async fn create_quality_adjustments(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(QualityAdjustments::Table)
                .col(
                    ColumnDef::new(QualityAdjustments::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(QualityAdjustments::UserId).uuid().not_null())
                // A platform id, or `all`.
                .col(
                    ColumnDef::new(QualityAdjustments::Platform)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QualityAdjustments::Category)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QualityAdjustments::ThresholdDelta)
                        .double()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QualityAdjustments::Enabled)
                        .boolean()
                        .not_null(),
                )
                .col(ColumnDef::new(QualityAdjustments::Reason).text().not_null())
                .col(timestamp(QualityAdjustments::CreatedAt))
                .col(timestamp(QualityAdjustments::UpdatedAt))
                .foreign_key(&mut references(
                    "fk_quality_adjustments_user",
                    (QualityAdjustments::Table, QualityAdjustments::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ux_quality_adjustments_scope",
        QualityAdjustments::Table,
        vec![
            QualityAdjustments::UserId.into_iden(),
            QualityAdjustments::Platform.into_iden(),
            QualityAdjustments::Category.into_iden(),
        ],
        true,
    )
    .await
}

async fn create_video_contexts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(VideoContexts::Table)
                // One context per user.
                .col(
                    ColumnDef::new(VideoContexts::UserId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(VideoContexts::VoiceSessionId).uuid().null())
                .col(ColumnDef::new(VideoContexts::VideoId).uuid().null())
                .col(ColumnDef::new(VideoContexts::Platform).string().null())
                .col(ColumnDef::new(VideoContexts::CurrentUrl).text().null())
                .col(ColumnDef::new(VideoContexts::OwnerDeviceId).uuid().null())
                .col(ColumnDef::new(VideoContexts::OwnerTabId).integer().null())
                .col(
                    ColumnDef::new(VideoContexts::OwnerPageInstanceId)
                        .string()
                        .null(),
                )
                .col(
                    ColumnDef::new(VideoContexts::ClaimedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(VideoContexts::LeaseExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(VideoContexts::Version)
                        .big_integer()
                        .not_null(),
                )
                .col(timestamp(VideoContexts::UpdatedAt))
                .foreign_key(&mut references(
                    "fk_video_contexts_user",
                    (VideoContexts::Table, VideoContexts::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut references(
                    "fk_video_contexts_video",
                    (VideoContexts::Table, VideoContexts::VideoId),
                    (Videos::Table, Videos::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
    UserId,
    VideoId,
    VoiceSessionId,
    UtteranceId,
    Text,
    RawTranscript,
    Category,
    Confidence,
    TimestampSeconds,
    EndSeconds,
    Status,
    QualityDecision,
    Structurer,
    Source,
    Version,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    DeleteReason,
}

#[derive(DeriveIden)]
enum NoteQualityDecisions {
    Table,
    Id,
    NoteId,
    UserId,
    VoiceSessionId,
    Category,
    Confidence,
    Threshold,
    Decision,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum QualityAdjustments {
    Table,
    Id,
    UserId,
    Platform,
    Category,
    ThresholdDelta,
    Enabled,
    Reason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VideoContexts {
    Table,
    UserId,
    VoiceSessionId,
    VideoId,
    Platform,
    CurrentUrl,
    OwnerDeviceId,
    OwnerTabId,
    OwnerPageInstanceId,
    ClaimedAt,
    LeaseExpiresAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Videos {
    Table,
    Id,
}
