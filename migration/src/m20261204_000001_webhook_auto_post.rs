//! Posting by rule (docs/jobs.md): a user's webhook may carry a rule that posts, as each note
//! is made, every kept note of the chosen categories whose confidence reaches a threshold.
//!
//! - `auto_post_categories`: the categories' stored names, comma-separated (`audio,graphics`).
//! - `auto_post_min_confidence`: the threshold in 0..=1.
//!
//! Both null: no rule (existing webhooks keep posting only when a reviewer asks). SQLite
//! alters one column per statement, hence two.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Webhooks::AutoPostCategories)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Webhooks::AutoPostMinConfidence)
                .double()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Webhooks::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Webhooks::AutoPostMinConfidence,
            Webhooks::AutoPostCategories,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Webhooks::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    AutoPostCategories,
    AutoPostMinConfidence,
}
