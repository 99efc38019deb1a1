//! `note_events`: the log of changes to a user's notes (PROTOCOL.md section 6.1), one row per
//! event with the user's offset `seq`, written in the transaction of the change. Old rows are
//! pruned after the retention window.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "note_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub video_id: Uuid,
    /// `created`, `updated`, `deleted` or `summary`.
    pub kind: String,
    /// The event as JSON, exactly as it was published.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
