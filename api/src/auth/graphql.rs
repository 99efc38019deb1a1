//! GraphQL for accounts and devices: `me`, `devices`, `revokeDevice`, `createUser`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lossy_entities::{devices as device_rows, users as user_rows};
use uuid::Uuid;

use super::audit::{AuthEvent, AuthKind};
use super::password::Password;
use super::users::{self, Email, NewUser};
use super::{Role, devices};
use crate::error::AppError;
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::parse_id;

/// A person with an account.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct User {
    pub id: ID,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Served as `disabled`/`disabledAt` to admins and the user themself
    /// (`admin_users_graphql`).
    #[graphql(skip)]
    pub disabled_at: Option<DateTime<Utc>>,
}

impl From<user_rows::Model> for User {
    fn from(row: user_rows::Model) -> Self {
        User {
            id: row.id.into(),
            email: row.email,
            name: row.name,
            role: Role::from_db(&row.role),
            created_at: row.created_at,
            disabled_at: row.disabled_at,
        }
    }
}

/// One installed extension of a user.
#[derive(SimpleObject)]
pub struct Device {
    pub id: ID,
    pub user_id: ID,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    /// True for the device making this request.
    pub current: bool,
}

impl Device {
    pub(crate) fn new(row: device_rows::Model, caller: Option<Uuid>) -> Self {
        Device {
            current: caller == Some(row.id),
            id: row.id.into(),
            user_id: row.user_id.into(),
            name: row.name,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            revoked_at: row.revoked_at,
            revoke_reason: row.revoke_reason,
        }
    }
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The caller.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let viewer = ctx.viewer()?;
        let user = users::find(&ctx.state().db, viewer.user_id)
            .await?
            .ok_or_else(|| AppError::unauthenticated("this account no longer exists"))?;
        Ok(user.into())
    }

    /// The caller's devices, most recently seen first.
    async fn devices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Device>> {
        let viewer = ctx.viewer()?;
        let rows = devices::list_for_user(&ctx.state().db, viewer.user_id).await?;
        Ok(rows
            .into_iter()
            .map(|row| Device::new(row, viewer.device_id()))
            .collect())
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub password: String,
    pub name: Option<String>,
    pub role: Option<Role>,
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Revokes a device: its tokens stop working and its sockets close. Users revoke their
    /// own devices; admins any.
    async fn revoke_device(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Device> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let device_id = parse_id(&id, "id")?;
        let device = devices::find(&state.db, device_id)
            .await?
            .filter(|d| d.user_id == viewer.user_id || viewer.is_admin())
            .ok_or_else(|| AppError::not_found("device"))?;
        devices::revoke(&state.db, device.id, "revoked_by_user").await?;
        AuthEvent::accepted(AuthKind::DeviceRevoked)
            .user(device.user_id)
            .device(device.id)
            .detail(serde_json::json!({ "by": viewer.user_id }))
            .record(&state.db)
            .await;
        state.device_revoked(device.id);
        let row = devices::find(&state.db, device.id)
            .await?
            .ok_or_else(|| AppError::not_found("device"))?;
        Ok(Device::new(row, viewer.device_id()))
    }

    /// Creates an account (admins only).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.admin()?;
        let state = ctx.state();
        let new = NewUser {
            email: Email::parse(&input.email)?,
            password: Password::parse(&input.password)?,
            name: input.name.unwrap_or_default(),
            role: input.role.unwrap_or(Role::User),
        };
        let user = users::create(&state.db, new).await?;
        AuthEvent::accepted(AuthKind::UserCreated)
            .user(user.id)
            .email(&user.email)
            .detail(serde_json::json!({ "by": viewer.user_id }))
            .record(&state.db)
            .await;
        Ok(user.into())
    }
}
