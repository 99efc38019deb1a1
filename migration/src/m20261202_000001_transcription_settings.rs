//! The transcription settings of PROTOCOL.md section 5.5: where each of the user's devices turns
//! speech into text (`on_device` or `endpoint`), the OpenAI-compatible endpoint for the second
//! (no API key: that stays on the device), and the model to ask for.
//!
//! Existing rows get the protocol's defaults through the column defaults. SQLite alters one
//! column per statement, hence three.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(UserSettings::TranscriptionMode)
                .string()
                .not_null()
                .default("on_device")
                .to_owned(),
            ColumnDef::new(UserSettings::TranscriptionEndpoint)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(UserSettings::TranscriptionModel)
                .string()
                .not_null()
                .default("whisper-base.en")
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserSettings::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            UserSettings::TranscriptionModel,
            UserSettings::TranscriptionEndpoint,
            UserSettings::TranscriptionMode,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserSettings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum UserSettings {
    Table,
    TranscriptionMode,
    TranscriptionEndpoint,
    TranscriptionModel,
}
