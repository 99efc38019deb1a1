//! What the durable jobs keep about notes (PROTOCOL.md section 6.2), and where notes are posted.
//!
//! - `note_refinements`: a note's refinement by the LLM: its state (`pending`, `done`,
//!   `failed`), the attempts made, the last error, and `base_version`, the note's version whose
//!   text is still the structurer's own (a reviewer's edit moves the note past it, and wins).
//! - `note_posts`: a note's latest posting to an integration: the attempts, why it failed or
//!   needs the reviewer, and the delivery id the receiver sees on every try of that posting.
//! - `webhooks`: each user's webhook (URL and HMAC secret), the first integration.
//!
//! The job queue's own tables are apalis's, created by its storage at start (`crate::jobs`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NoteRefinements::Table)
                    .col(
                        ColumnDef::new(NoteRefinements::NoteId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(NoteRefinements::UserId).uuid().not_null())
                    .col(ColumnDef::new(NoteRefinements::State).string().not_null())
                    .col(
                        ColumnDef::new(NoteRefinements::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(NoteRefinements::LastError).text().null())
                    .col(
                        ColumnDef::new(NoteRefinements::BaseVersion)
                            .big_integer()
                            .not_null(),
                    )
                    .col(timestamp(NoteRefinements::CreatedAt))
                    .col(timestamp(NoteRefinements::UpdatedAt))
                    .foreign_key(&mut note_cascade(
                        "fk_note_refinements_note",
                        NoteRefinements::Table,
                        NoteRefinements::NoteId,
                    ))
                    .to_owned(),
            )
            .await?;
        // The start-up sweep looks for refinements still pending.
        manager
            .create_index(
                Index::create()
                    .name("idx_note_refinements_state")
                    .table(NoteRefinements::Table)
                    .col(NoteRefinements::State)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotePosts::Table)
                    .col(
                        ColumnDef::new(NotePosts::NoteId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(NotePosts::UserId).uuid().not_null())
                    .col(ColumnDef::new(NotePosts::Integration).string().not_null())
                    .col(ColumnDef::new(NotePosts::DeliveryId).string().not_null())
                    .col(
                        ColumnDef::new(NotePosts::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(NotePosts::Reason).text().null())
                    .col(timestamp(NotePosts::QueuedAt))
                    .col(
                        ColumnDef::new(NotePosts::PostedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(NotePosts::UpdatedAt))
                    .foreign_key(&mut note_cascade(
                        "fk_note_posts_note",
                        NotePosts::Table,
                        NotePosts::NoteId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(
                        ColumnDef::new(Webhooks::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Webhooks::Url).text().not_null())
                    .col(ColumnDef::new(Webhooks::Secret).text().not_null())
                    .col(timestamp(Webhooks::CreatedAt))
                    .col(timestamp(Webhooks::UpdatedAt))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_webhooks_user")
                            .from(Webhooks::Table, Webhooks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NotePosts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NoteRefinements::Table).to_owned())
            .await
    }
}

fn timestamp(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn note_cascade(
    name: &str,
    table: impl IntoIden,
    column: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Notes::Table, Notes::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden)]
enum NoteRefinements {
    Table,
    NoteId,
    UserId,
    State,
    Attempts,
    LastError,
    BaseVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotePosts {
    Table,
    NoteId,
    UserId,
    Integration,
    DeliveryId,
    Attempts,
    Reason,
    QueuedAt,
    PostedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    UserId,
    Url,
    Secret,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
