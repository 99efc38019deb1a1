//! `note_refinements`: a note's refinement by the LLM (PROTOCOL.md section 6.2), one row per
//! refined note. `base_version` is the note's version whose text is still the structurer's
//! own: the refinement applies only while the note is at it, so a reviewer's edit wins.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "note_refinements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub note_id: Uuid,
    pub user_id: Uuid,
    /// `pending`, `done` or `failed`.
    pub state: String,
    pub attempts: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub base_version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
