//! Reading the audit log: the admin query `authEvents`, newest first, paged by keyset.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lossy_entities::auth_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::db::keyset::older_than;
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;
use crate::graphql_kit::parse_id;

/// One authentication attempt.
#[derive(SimpleObject)]
pub struct AuthEvent {
    pub id: ID,
    pub occurred_at: DateTime<Utc>,
    /// `login`, `logout`, `extension_token`, `refresh`, `ws_join`, `http_token`, ...
    pub kind: String,
    /// `success` or `denied`.
    pub outcome: String,
    pub reason: String,
    pub user_id: Option<ID>,
    pub device_id: Option<ID>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<Json<serde_json::Value>>,
}

impl From<auth_events::Model> for AuthEvent {
    fn from(row: auth_events::Model) -> Self {
        AuthEvent {
            id: row.id.into(),
            occurred_at: row.occurred_at,
            kind: row.kind,
            outcome: row.outcome,
            reason: row.reason,
            user_id: row.user_id.map(ID::from),
            device_id: row.device_id.map(ID::from),
            email: row.email,
            ip: row.ip,
            detail: row.detail.map(Json),
        }
    }
}

/// Sort key of the log: newest first, ties broken by id.
type Key = (DateTime<Utc>, Uuid);

#[derive(Default)]
pub struct AuditLogQuery;

#[Object]
impl AuditLogQuery {
    /// The audit log, newest first (admins only). Filter by `kind`, `outcome` or `userId`.
    async fn auth_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        kind: Option<String>,
        outcome: Option<String>,
        user_id: Option<ID>,
    ) -> async_graphql::Result<Connection<String, AuthEvent>> {
        ctx.admin()?;
        let state = ctx.state();
        let page = Page::<Key>::parse(first, after.as_deref(), state.config.max_page_size)?;
        let mut query = auth_events::Entity::find()
            .order_by_desc(auth_events::Column::OccurredAt)
            .order_by_desc(auth_events::Column::Id)
            .limit(page.fetch_limit());
        if let Some(kind) = kind {
            query = query.filter(auth_events::Column::Kind.eq(kind));
        }
        if let Some(outcome) = outcome {
            query = query.filter(auth_events::Column::Outcome.eq(outcome));
        }
        if let Some(user_id) = user_id {
            query = query.filter(auth_events::Column::UserId.eq(parse_id(&user_id, "userId")?));
        }
        if let Some((at, id)) = page.after {
            query = query.filter(older_than(
                auth_events::Column::OccurredAt,
                auth_events::Column::Id,
                (at, id),
            ));
        }
        let rows = query
            .all(&state.db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(page.connection(rows, |row| (row.occurred_at, row.id), AuthEvent::from))
    }
}
