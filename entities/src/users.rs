//! `users`: one row per account.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique; the API stores it lowercased.
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub name: String,
    /// `user` or `admin`.
    pub role: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set while an admin has disabled the account: no sign-in, refresh or socket.
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::web_sessions::Entity")]
    WebSessions,
    #[sea_orm(has_many = "super::devices::Entity")]
    Devices,
    #[sea_orm(has_one = "super::user_settings::Entity")]
    UserSettings,
    #[sea_orm(has_many = "super::feature_flag_overrides::Entity")]
    FeatureFlagOverrides,
    #[sea_orm(has_many = "super::voice_sessions::Entity")]
    VoiceSessions,
}

impl Related<super::web_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WebSessions.def()
    }
}

impl Related<super::devices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Devices.def()
    }
}

impl Related<super::user_settings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserSettings.def()
    }
}

impl Related<super::feature_flag_overrides::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlagOverrides.def()
    }
}

impl Related<super::voice_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VoiceSessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
