//! Voice session leases, for several nodes on one database: the node that runs a live
//! session (`node`), until when it holds it unless it renews (`lease_until`), and the lease's
//! `epoch`, raised by every claim. A step is written only under the epoch its node claimed,
//! so a node that lost a session (its device moved, or it was thought dead) cannot write over
//! the new owner's steps. Sessions of older versions have no node and epoch 0: the first node
//! to start claims them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        let columns = [
            ColumnDef::new(VoiceSessions::Node)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(VoiceSessions::Epoch)
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(VoiceSessions::LeaseUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(VoiceSessions::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            VoiceSessions::Node,
            VoiceSessions::Epoch,
            VoiceSessions::LeaseUntil,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(VoiceSessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum VoiceSessions {
    Table,
    Node,
    Epoch,
    LeaseUntil,
}
