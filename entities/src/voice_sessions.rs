//! `voice_sessions`: one listening period of one device on one tab (PROTOCOL.md section 5).
//!
//! `machine` holds the full serialized state machine, from which a restarted server rebuilds
//! the session; `state`, `last_applied_seq` and `counters` repeat parts of it for queries.
//! `video_id` carries no foreign key yet: videos arrive in a later migration.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "voice_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub video_id: Option<Uuid>,
    pub tab_id: i32,
    pub page_instance_id: String,
    /// `idle`, `observing`, `recording`, `cooldown`, `error`, `disconnected`, `reconnecting`
    /// or `closed`.
    pub state: String,
    pub last_applied_seq: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub counters: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub machine: Json,
    pub started_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_event_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// e.g. `stopped`, `context_moved`, `ttl_expired`, `no_speech_timeout`.
    pub end_reason: Option<String>,
    /// The node that runs the live session; none once its node let it go.
    pub node: Option<String>,
    /// Raised by every claim; steps are written only under the epoch their node claimed.
    pub epoch: i64,
    /// Until when `node` holds the session unless it renews the lease.
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "super::devices::Entity",
        from = "Column::DeviceId",
        to = "super::devices::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Devices,
    #[sea_orm(has_many = "super::voice_session_transitions::Entity")]
    VoiceSessionTransitions,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::devices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Devices.def()
    }
}

impl Related<super::voice_session_transitions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VoiceSessionTransitions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
