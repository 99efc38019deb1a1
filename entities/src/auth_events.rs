//! `auth_events`: the authentication audit log.
//!
//! `user_id` and `device_id` carry no foreign key on purpose, so that the
//! audit trail survives the deletion of the user or device it names.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "auth_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    /// e.g. `login`, `logout`, `extension_token`, `refresh`, `ws_join`,
    /// `graphql_auth`, `device_revoked`.
    pub kind: String,
    /// `success` or `denied`.
    pub outcome: String,
    /// e.g. `ok`, `bad_password`, `unknown_email`, `expired`,
    /// `bad_signature`, `revoked`, `rate_limited`, `refresh_reuse`.
    pub reason: String,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub email: Option<String>,
    pub ip: Option<String>,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub detail: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
