//! `notes`: what a reviewer said about a moment of a video, structured (PROTOCOL.md section 6).
//! Deletion is soft (`deleted_at`, `delete_reason`), so it can be undone and counted; every
//! change bumps `version`, so clients drop stale updates.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub video_id: Uuid,
    pub voice_session_id: Option<Uuid>,
    /// Unique per user when present: `submitTranscript`'s idempotency key.
    pub utterance_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    #[sea_orm(column_type = "Text")]
    pub raw_transcript: String,
    /// `pacing`, `editing`, `audio`, `color`, `visual`, `graphics`, `content` or `general`.
    pub category: String,
    #[sea_orm(column_type = "Double")]
    pub confidence: f64,
    /// Where in the video the reviewer started speaking.
    #[sea_orm(column_type = "Double")]
    pub timestamp_seconds: f64,
    #[sea_orm(column_type = "Double", nullable)]
    pub end_seconds: Option<f64>,
    /// `ghost`, `firmed`, `resolved`, `suppressed`, `cancelled`, `queued`, `posting`,
    /// `posted`, `failed` or `needs_intervention`.
    pub status: String,
    /// `kept` or `suppressed`.
    pub quality_decision: String,
    /// Which structurer made it: `builtin`, `llm` or `manual`.
    pub structurer: String,
    pub source: Option<String>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub delete_reason: Option<String>,
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
        belongs_to = "super::videos::Entity",
        from = "Column::VideoId",
        to = "super::videos::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Videos,
    #[sea_orm(has_many = "super::note_quality_decisions::Entity")]
    NoteQualityDecisions,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::videos::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Videos.def()
    }
}

impl Related<super::note_quality_decisions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NoteQualityDecisions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
