//! `devices`: clients (e.g. the browser extension) a user has paired.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "devices")]
pub struct Model {
    /// Chosen by the client.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    /// Hash of the current (unspent) refresh token, if any.
    #[sea_orm(unique)]
    pub refresh_token_hash: Option<String>,
    pub refresh_expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoke_reason: Option<String>,
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
    #[sea_orm(has_many = "super::spent_refresh_tokens::Entity")]
    SpentRefreshTokens,
    #[sea_orm(has_many = "super::voice_sessions::Entity")]
    VoiceSessions,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::spent_refresh_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SpentRefreshTokens.def()
    }
}

impl Related<super::voice_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VoiceSessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
