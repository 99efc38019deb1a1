//! `user_settings`: one row per user with voice, VAD, session and transcription tuning.
//!
//! `version` starts at 1 and is bumped on every update (optimistic
//! concurrency).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "user_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub cooldown_ms: i32,
    pub merge_within_ms: i32,
    pub min_speech_ms: i32,
    pub max_speech_ms: i32,
    pub auto_pause_video: bool,
    pub auto_resume_delay_ms: i32,
    pub idle_stop_ms: i32,
    pub heartbeat_interval_ms: i32,
    pub heartbeat_timeout_ms: i32,
    pub max_restarts: i32,
    pub restart_window_ms: i32,
    pub session_ttl_ms: i32,
    pub vad_start_threshold: f64,
    pub vad_end_threshold: f64,
    pub vad_min_silence_ms: i32,
    pub vad_pre_roll_ms: i32,
    pub min_confidence: f64,
    pub preferred_protocol_version: i32,
    #[sea_orm(column_type = "JsonBinary")]
    pub client_preferences: Json,
    /// `on_device` or `endpoint`.
    pub transcription_mode: String,
    /// Base URL of an OpenAI-compatible API; used when the mode is `endpoint`.
    pub transcription_endpoint: Option<String>,
    pub transcription_model: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
