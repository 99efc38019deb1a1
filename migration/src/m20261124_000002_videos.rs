//! Videos: each user's own list of the videos they reviewed, one row per (user, platform,
//! external id) as the platform adapters identify them (PROTOCOL.md section 7).
//!
//! `voice_sessions.video_id` still has no foreign key: adding one to an existing SQLite table
//! means rebuilding it, and a session outliving its video row does no harm.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Videos::Table)
                    .col(ColumnDef::new(Videos::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Videos::UserId).uuid().not_null())
                    .col(ColumnDef::new(Videos::Platform).string().not_null())
                    .col(ColumnDef::new(Videos::ExternalId).string().not_null())
                    .col(ColumnDef::new(Videos::CanonicalUrl).text().not_null())
                    .col(ColumnDef::new(Videos::EmbedUrl).text().not_null())
                    .col(ColumnDef::new(Videos::Extras).json_binary().not_null())
                    .col(ColumnDef::new(Videos::Title).text().null())
                    .col(ColumnDef::new(Videos::DurationSeconds).double().null())
                    .col(ColumnDef::new(Videos::ThumbnailUrl).text().null())
                    .col(
                        ColumnDef::new(Videos::Status)
                            .string()
                            .not_null()
                            .default("active"),
                    )
                    .col(ColumnDef::new(Videos::LastUrl).text().not_null())
                    .col(ColumnDef::new(Videos::LastTabId).integer().null())
                    .col(ColumnDef::new(Videos::LastPageInstanceId).string().null())
                    .col(timestamp(Videos::CreatedAt))
                    .col(timestamp(Videos::UpdatedAt))
                    .col(timestamp(Videos::LastViewedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_videos_user")
                            .from(Videos::Table, Videos::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One row per video per user: what detectVideo upserts on.
        manager
            .create_index(
                Index::create()
                    .name("ux_videos_user_platform_external")
                    .table(Videos::Table)
                    .col(Videos::UserId)
                    .col(Videos::Platform)
                    .col(Videos::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // `videos(...)` pages a user's videos, most recently viewed first.
        manager
            .create_index(
                Index::create()
                    .name("ix_videos_user_viewed")
                    .table(Videos::Table)
                    .col(Videos::UserId)
                    .col(Videos::LastViewedAt)
                    .col(Videos::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Videos::Table).to_owned())
            .await
    }
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[derive(DeriveIden)]
enum Videos {
    Table,
    Id,
    UserId,
    Platform,
    ExternalId,
    CanonicalUrl,
    EmbedUrl,
    Extras,
    Title,
    DurationSeconds,
    ThumbnailUrl,
    Status,
    LastUrl,
    LastTabId,
    LastPageInstanceId,
    CreatedAt,
    UpdatedAt,
    LastViewedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
