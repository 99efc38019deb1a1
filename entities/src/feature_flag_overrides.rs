//! `feature_flag_overrides`: per-user override of a feature flag.
//!
//! Primary key is (`flag_name`, `user_id`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "feature_flag_overrides")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub flag_name: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::feature_flags::Entity",
        from = "Column::FlagName",
        to = "super::feature_flags::Column::Name",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    FeatureFlags,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Users,
}

impl Related<super::feature_flags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlags.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
