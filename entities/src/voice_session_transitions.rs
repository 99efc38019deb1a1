//! `voice_session_transitions`: the log of every state change of a voice session, written in
//! the same transaction as the session row it belongs to.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "voice_session_transitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    /// The event seq that caused the transition; `None` for timers and mutations.
    pub seq: Option<i64>,
    pub from_state: String,
    pub to_state: String,
    /// Why, e.g. `speech_start`, `cooldown_elapsed`, `heartbeat_timeout`.
    pub cause: String,
    /// The command sent to the client with it, e.g. `PAUSE_VIDEO`.
    pub command: Option<String>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::voice_sessions::Entity",
        from = "Column::SessionId",
        to = "super::voice_sessions::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    VoiceSessions,
}

impl Related<super::voice_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VoiceSessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
