//! `note_posts`: a note's latest posting to an integration (PROTOCOL.md section 6.2). The
//! note's own status says where the posting is (`queued`, `posting`, `posted`, `failed`,
//! `needs_intervention`); this row keeps the attempts, the reason of a failure, and the
//! delivery id the receiver sees on every try of the same posting.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "note_posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub note_id: Uuid,
    pub user_id: Uuid,
    /// `webhook`.
    pub integration: String,
    pub delivery_id: String,
    pub attempts: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub queued_at: DateTimeUtc,
    pub posted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
