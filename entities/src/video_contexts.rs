//! `video_contexts`: each user's video context, which says which tab owns the voice capture
//! (PROTOCOL.md section 7). One row per user; the owner's lease is renewed by its session's
//! heartbeats.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "video_contexts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub voice_session_id: Option<Uuid>,
    pub video_id: Option<Uuid>,
    pub platform: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub current_url: Option<String>,
    pub owner_device_id: Option<Uuid>,
    pub owner_tab_id: Option<i32>,
    pub owner_page_instance_id: Option<String>,
    pub claimed_at: Option<DateTimeUtc>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub version: i64,
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
    #[sea_orm(
        belongs_to = "super::videos::Entity",
        from = "Column::VideoId",
        to = "super::videos::Column::Id",
        on_update = "Cascade",
        on_delete = "SetNull"
    )]
    Videos,
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

impl ActiveModelBehavior for ActiveModel {}
