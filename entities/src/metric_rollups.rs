//! `metric_rollups`: per-minute analytics rollups (docs/analytics.md).
//!
//! `minute` counts minutes since the Unix epoch (UTC). `bucket` -1 is the series' total for
//! the minute; 0 and up are latency histogram buckets (`lossy_api::analytics::histogram`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "metric_rollups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub minute: i64,
    /// e.g. `note_delivery`, `notes_created`, `telemetry_dropped`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub series: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: i32,
    pub count: i64,
    /// The sum of the latencies in milliseconds (total rows of latency series), else 0.
    pub sum_ms: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
