//! `note_quality_decisions`: every decision of the note quality gate, with the threshold it
//! used and why (PROTOCOL.md section 8).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "note_quality_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub note_id: Uuid,
    pub user_id: Uuid,
    pub voice_session_id: Option<Uuid>,
    pub category: String,
    #[sea_orm(column_type = "Double")]
    pub confidence: f64,
    #[sea_orm(column_type = "Double")]
    pub threshold: f64,
    /// `kept` or `suppressed`.
    pub decision: String,
    /// e.g. `above_threshold`, `below_floor`, `below_threshold`, `session_raised`.
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::notes::Entity",
        from = "Column::NoteId",
        to = "super::notes::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Notes,
}

impl Related<super::notes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
