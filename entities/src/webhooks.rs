//! `webhooks`: each user's webhook, where notes are posted (JSON signed with the secret).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// The HMAC-SHA256 key of the signature header; never shown back.
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    /// Posting by rule: the categories posted by themselves, comma-separated stored names;
    /// null with `auto_post_min_confidence`: no rule.
    #[sea_orm(column_type = "Text", nullable)]
    pub auto_post_categories: Option<String>,
    /// Posting by rule: the least confidence of a note posted by itself, in 0..=1.
    pub auto_post_min_confidence: Option<f64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
