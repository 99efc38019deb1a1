//! `metric_rollups`: the per-minute analytics rollups (docs/analytics.md).
//!
//! One row per (minute, series, bucket). `minute` counts whole minutes since the Unix epoch
//! (UTC), so grouping by hour or day is integer division, the same on SQLite and PostgreSQL.
//! `bucket` -1 is the series' total for the minute (`count`, and `sum_ms` for latencies);
//! buckets 0 and up are the latency histogram's occupied buckets (`count` only). Flushes add
//! to existing rows with an upsert, so rows never need reading before writing.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MetricRollups::Table)
                    .col(
                        ColumnDef::new(MetricRollups::Minute)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MetricRollups::Series).string().not_null())
                    .col(ColumnDef::new(MetricRollups::Bucket).integer().not_null())
                    .col(
                        ColumnDef::new(MetricRollups::Count)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MetricRollups::SumMs).double().not_null())
                    .primary_key(
                        Index::create()
                            .col(MetricRollups::Minute)
                            .col(MetricRollups::Series)
                            .col(MetricRollups::Bucket),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MetricRollups::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MetricRollups {
    Table,
    Minute,
    Series,
    Bucket,
    Count,
    SumMs,
}
