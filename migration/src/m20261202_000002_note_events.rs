//! The note event log of PROTOCOL.md section 6.1: every change to a user's notes, with the
//! user's next offset, written in the same transaction as the change, so a client that missed
//! events (a slow socket, a reconnect) is caught up from here.
//!
//! `note_event_offsets` holds each user's last offset. Taking the next offsets updates that
//! row, so on PostgreSQL two writes for one user serialise on its lock and their offsets
//! commit in order: once an offset is visible, every smaller one is too. Offsets are never
//! reused (the row stays when old events are pruned), and a user's events go with the user.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NoteEventOffsets::Table)
                    .col(
                        ColumnDef::new(NoteEventOffsets::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(NoteEventOffsets::LastSeq)
                            .big_integer()
                            .not_null(),
                    )
                    .foreign_key(&mut user_cascade(
                        "fk_note_event_offsets_user",
                        NoteEventOffsets::Table,
                        NoteEventOffsets::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoteEvents::Table)
                    .col(ColumnDef::new(NoteEvents::UserId).uuid().not_null())
                    .col(ColumnDef::new(NoteEvents::Seq).big_integer().not_null())
                    .col(ColumnDef::new(NoteEvents::VideoId).uuid().not_null())
                    .col(ColumnDef::new(NoteEvents::Kind).string().not_null())
                    .col(ColumnDef::new(NoteEvents::Payload).text().not_null())
                    .col(
                        ColumnDef::new(NoteEvents::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(NoteEvents::UserId).col(NoteEvents::Seq))
                    .foreign_key(&mut user_cascade(
                        "fk_note_events_user",
                        NoteEvents::Table,
                        NoteEvents::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // One video's replay; the primary key serves all of a user's.
        manager
            .create_index(
                Index::create()
                    .name("idx_note_events_video")
                    .table(NoteEvents::Table)
                    .col(NoteEvents::UserId)
                    .col(NoteEvents::VideoId)
                    .col(NoteEvents::Seq)
                    .to_owned(),
            )
            .await?;
        // Pruning finds what is past retention.
        manager
            .create_index(
                Index::create()
                    .name("idx_note_events_created")
                    .table(NoteEvents::Table)
                    .col(NoteEvents::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoteEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NoteEventOffsets::Table).to_owned())
            .await
    }
}

fn user_cascade(
    name: &str,
    table: impl IntoIden,
    column: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden)]
enum NoteEventOffsets {
    Table,
    UserId,
    LastSeq,
}

#[derive(DeriveIden)]
enum NoteEvents {
    Table,
    UserId,
    Seq,
    VideoId,
    Kind,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
