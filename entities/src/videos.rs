//! `videos`: a user's videos, one row per (user, platform, external id) as the platform
//! adapters identify them (PROTOCOL.md section 7).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "videos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `youtube`, `vimeo`, `frameio`, `iconik`, `wipster`, `tiktok` or `generic`.
    pub platform: String,
    pub external_id: String,
    #[sea_orm(column_type = "Text")]
    pub canonical_url: String,
    #[sea_orm(column_type = "Text")]
    pub embed_url: String,
    /// Captures besides the id (Vimeo's unlisted `hash`), as a JSON object of strings.
    #[sea_orm(column_type = "JsonBinary")]
    pub extras: Json,
    #[sea_orm(column_type = "Text", nullable)]
    pub title: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub duration_seconds: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub thumbnail_url: Option<String>,
    /// `active` or `archived`.
    pub status: String,
    /// The page it was last detected on, without tracking parameters.
    #[sea_orm(column_type = "Text")]
    pub last_url: String,
    pub last_tab_id: Option<i32>,
    pub last_page_instance_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_viewed_at: DateTimeUtc,
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
