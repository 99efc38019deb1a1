//! `feature_flags`: named flags with a default and a rollout percentage.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "feature_flags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub description: String,
    pub default_enabled: bool,
    /// 0..=100.
    pub rollout_percent: i16,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::feature_flag_overrides::Entity")]
    FeatureFlagOverrides,
}

impl Related<super::feature_flag_overrides::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlagOverrides.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
