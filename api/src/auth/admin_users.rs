//! Accounts as admins manage them: the list (newest first, searched and filtered), a role
//! change, and disabling or enabling an account. There is always at least one enabled admin:
//! a change that would leave none is refused with `CONFLICT`, and so is disabling yourself.
//!
//! Disabling sets `users.disabled_at`, deletes the user's web sessions, ends their voice
//! sessions and closes their open sockets (4403, through `disabled_users`); their device tokens
//! stay but every use of them is refused while the account is disabled (`devices`), so enabling
//! lets the extension carry on without signing in again.

use chrono::{DateTime, Utc};
use lossy_entities::{users, web_sessions};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::audit::{AuthEvent, AuthKind};
use super::{Role, Viewer};
use crate::db::keyset::older_than;
use crate::error::{AppError, AppResult};
use crate::platforms::store::like_pattern;
use crate::state::AppState;

/// Which users to list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Part of the email or name, any case; wildcards match literally.
    pub search: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Users newest first (`created_at` DESC, `id` DESC), after the cursor key `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &UserFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<users::Model>> {
    let mut query = users::Entity::find()
        .order_by_desc(users::Column::CreatedAt)
        .order_by_desc(users::Column::Id)
        .limit(limit);
    if let Some(search) = filter.search.as_deref().map(str::trim)
        && !search.is_empty()
    {
        let pattern = like_pattern(search);
        query = query.filter(
            Condition::any()
                .add(contains_ignoring_case(users::Column::Email, &pattern))
                .add(contains_ignoring_case(users::Column::Name, &pattern)),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(users::Column::Role.eq(role.as_str()));
    }
    match filter.disabled {
        Some(true) => query = query.filter(users::Column::DisabledAt.is_not_null()),
        Some(false) => query = query.filter(users::Column::DisabledAt.is_null()),
        None => {}
    }
    if let Some(key) = after {
        query = query.filter(older_than(users::Column::CreatedAt, users::Column::Id, key));
    }
    Ok(query.all(db).await?)
}

/// `LOWER(column) LIKE LOWER(pattern) ESCAPE '\'`, as the video search does it.
fn contains_ignoring_case(column: users::Column, pattern: &str) -> SimpleExpr {
    let pattern = Expr::expr(Func::lower(Expr::val(pattern)))
        .binary(BinOper::Escape, Expr::Constant('\\'.into()));
    Expr::expr(Func::lower(Expr::col((users::Entity, column)))).binary(BinOper::Like, pattern)
}

fn no_admin_left() -> AppError {
    AppError::Conflict("this would leave no enabled admin; make another user admin first".into())
}

/// The enabled admins, locked for the rest of the transaction on PostgreSQL (SQLite's
/// IMMEDIATE transaction already holds the write lock), so two concurrent changes cannot each
/// leave the other admin as the last one and then remove them too.
async fn enabled_admins(db: &impl ConnectionTrait) -> AppResult<Vec<Uuid>> {
    Ok(users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Role.eq(Role::Admin.as_str()))
        .filter(users::Column::DisabledAt.is_null())
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// Whether taking `user` out of the enabled admins would leave none.
async fn is_last_enabled_admin(db: &impl ConnectionTrait, user: &users::Model) -> AppResult<bool> {
    if Role::from_db(&user.role) != Role::Admin || user.disabled_at.is_some() {
        return Ok(false);
    }
    let admins = enabled_admins(db).await?;
    Ok(admins.iter().all(|id| *id == user.id))
}

/// Gives `id` the role `role`. Refused when it demotes the last enabled admin (the caller
/// included).
pub async fn set_role(
    app: &AppState,
    by: &Viewer,
    id: Uuid,
    role: Role,
) -> AppResult<users::Model> {
    let txn = crate::db::begin_write(&app.db).await?;
    let user = users::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let before = Role::from_db(&user.role);
    if before == role {
        txn.rollback().await?;
        return Ok(user);
    }
    if role != Role::Admin && is_last_enabled_admin(&txn, &user).await? {
        txn.rollback().await?;
        return Err(no_admin_left());
    }
    let mut row: users::ActiveModel = user.into();
    row.role = Set(role.as_str().to_owned());
    row.updated_at = Set(Utc::now());
    let user = row.update(&txn).await?;
    txn.commit().await?;
    AuthEvent::accepted(AuthKind::UserRoleChanged)
        .user(user.id)
        .email(&user.email)
        .detail(serde_json::json!({
            "by": by.user_id,
            "from": before.as_str(),
            "to": role.as_str(),
        }))
        .record(&app.db)
        .await;
    Ok(user)
}

/// Disables or enables `id`. Disabling is refused for the caller themself and for the last
/// enabled admin; it ends the user's web sessions, voice sessions and open sockets.
pub async fn set_disabled(
    app: &AppState,
    by: &Viewer,
    id: Uuid,
    disabled: bool,
) -> AppResult<users::Model> {
    if disabled && id == by.user_id {
        return Err(AppError::Conflict(
            "you cannot disable your own account".into(),
        ));
    }
    let txn = crate::db::begin_write(&app.db).await?;
    let user = users::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    if user.disabled_at.is_some() == disabled {
        txn.rollback().await?;
        return Ok(user);
    }
    if disabled && is_last_enabled_admin(&txn, &user).await? {
        txn.rollback().await?;
        return Err(no_admin_left());
    }
    let now = Utc::now();
    let mut row: users::ActiveModel = user.into();
    row.disabled_at = Set(disabled.then_some(now));
    row.updated_at = Set(now);
    let user = row.update(&txn).await?;
    if disabled {
        web_sessions::Entity::delete_many()
            .filter(web_sessions::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    if disabled {
        // Committed first: a socket that closes now cannot rejoin, and a session that ends
        // cannot be started again.
        app.user_disabled(id);
        crate::voice::service::end_all_sessions_of_user(app, id).await;
    }
    let kind = if disabled {
        AuthKind::UserDisabled
    } else {
        AuthKind::UserEnabled
    };
    AuthEvent::accepted(kind)
        .user(user.id)
        .email(&user.email)
        .detail(serde_json::json!({ "by": by.user_id }))
        .record(&app.db)
        .await;
    Ok(user)
}

/// The error a disabled account's sign-in, refresh or token use answers.
pub fn account_disabled() -> AppError {
    AppError::Refused {
        code: "ACCOUNT_DISABLED",
        status: axum::http::StatusCode::FORBIDDEN,
        message: "this account is disabled; ask an admin to enable it".into(),
    }
}

/// Whether the account `id` is disabled now (a missing account counts as disabled).
pub async fn is_disabled(db: &impl ConnectionTrait, id: Uuid) -> AppResult<bool> {
    let disabled_at = users::Entity::find_by_id(id)
        .select_only()
        .column(users::Column::DisabledAt)
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?;
    Ok(disabled_at.is_none_or(|at| at.is_some()))
}
