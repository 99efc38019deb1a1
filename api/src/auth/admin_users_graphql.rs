//! GraphQL of the admin console's Users page: `users`, `userDevices`, `setUserRole`,
//! `setUserDisabled`, and `User.disabled`/`disabledAt`.

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, ID, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::admin_users::{self, UserFilter};
use super::graphql::{Device, User};
use super::{Role, devices};
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;
use crate::graphql_kit::parse_id;

/// Sort key of the list: newest first, ties broken by id.
type Key = (DateTime<Utc>, Uuid);

impl User {
    /// Admins see anyone's account state; others only their own.
    fn check_visible(&self, ctx: &Context<'_>) -> AppResult<()> {
        let viewer = ctx.viewer()?;
        if viewer.is_admin() || viewer.user_id.to_string() == self.id.as_str() {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "only admins see whether another account is disabled",
            ))
        }
    }
}

#[ComplexObject]
impl User {
    /// Admin view: disabled users cannot sign in; their sessions and sockets ended when
    /// disabled. (A user may read their own.)
    async fn disabled(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        self.check_visible(ctx)?;
        Ok(self.disabled_at.is_some())
    }

    /// When the account was disabled; null while enabled.
    async fn disabled_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        self.check_visible(ctx)?;
        Ok(self.disabled_at)
    }
}

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// Admin: the accounts, newest first; `search` matches email or name (case-insensitive,
    /// wildcards literal), `role` and `disabled` filter.
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> async_graphql::Result<Connection<String, User>> {
        ctx.admin()?;
        let state = ctx.state();
        let page = Page::<Key>::parse(first, after.as_deref(), state.config.max_page_size)?;
        if search.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(
                AppError::bad_input("search", "`search` must have at most 200 characters").into(),
            );
        }
        let filter = UserFilter {
            search,
            role,
            disabled,
        };
        let rows = admin_users::page(&state.db, &filter, page.after, page.fetch_limit()).await?;
        Ok(page.connection(rows, |row| (row.created_at, row.id), User::from))
    }

    /// A user's devices, most recently seen first (admins: any user; others: only their
    /// own).
    async fn user_devices(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<Vec<Device>> {
        let viewer = ctx.viewer()?;
        let user_id = parse_id(&user_id, "userId")?;
        if user_id != viewer.user_id {
            viewer.require_admin()?;
        }
        let rows = devices::list_for_user(&ctx.state().db, user_id).await?;
        Ok(rows
            .into_iter()
            .map(|row| Device::new(row, viewer.device_id()))
            .collect())
    }
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Admin: gives a user a role. Refused with CONFLICT when it would leave no enabled admin.
    async fn set_user_role(
        &self,
        ctx: &Context<'_>,
        id: ID,
        role: Role,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.admin()?;
        let id = parse_id(&id, "id")?;
        Ok(admin_users::set_role(ctx.state(), viewer, id, role)
            .await?
            .into())
    }

    /// Admin: disabling ends the user's voice sessions, web sessions and open sockets, and
    /// refuses sign-in and token refresh; refused (CONFLICT) for yourself or the last enabled
    /// admin. Enabling lets them sign in again.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        id: ID,
        disabled: bool,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.admin()?;
        let id = parse_id(&id, "id")?;
        Ok(admin_users::set_disabled(ctx.state(), viewer, id, disabled)
            .await?
            .into())
    }
}
