//! `telemetry_events`: events reported by clients (`ingestTelemetry`) and recorded by the
//! server itself (PROTOCOL.md section 10).
//!
//! `event_id` is unique within its `client_key`: the device id as text for device callers,
//! `web:<user id>` for dashboard callers, `server` for the server's own events. No foreign
//! keys, so telemetry outlives the users, devices and sessions it names.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "telemetry_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_key: String,
    /// Chosen by the client (a fresh uuid for server events).
    pub event_id: String,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub name: String,
    /// `debug`, `info`, `warn` or `error`.
    pub level: String,
    pub occurred_at: DateTimeUtc,
    pub received_at: DateTimeUtc,
    #[sea_orm(column_type = "JsonBinary")]
    pub properties: Json,
    pub client_version: Option<String>,
    /// `client` or `server`.
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
