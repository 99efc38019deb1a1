//! Devices (installed extensions), their token pairs, refresh-token rotation with reuse
//! detection, and revocation.
//!
//! A device holds one live refresh token at a time, stored as a digest. Using it spends it:
//! its digest moves to `spent_refresh_tokens` and a new pair is issued. Presenting a spent
//! token again means two parties hold the device's tokens, so the device is revoked.

use chrono::{DateTime, Duration, Utc};
use lossy_entities::{devices, spent_refresh_tokens, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::opaque;
use super::tokens::{Claims, MintedToken, TokenKeys, TokenRejection};
use super::{Credential, Role, Viewer};
use crate::error::{AppError, AppResult};

/// `last_seen_at` is refreshed at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// An access token and the refresh token that replaces it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access: MintedToken,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

pub fn device_name(raw: &str) -> AppResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::bad_input(
            "deviceName",
            "device name must not be empty",
        ));
    }
    if name.chars().count() > 120 {
        return Err(AppError::bad_input(
            "deviceName",
            "device name must have at most 120 characters",
        ));
    }
    Ok(name.to_owned())
}

/// Registers the device for `user_id` (or renames it) and issues a fresh pair. Any earlier
/// refresh token of the device stops working.
pub async fn issue(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    user_id: Uuid,
    device_id: Uuid,
    name: String,
    protocol_version: u8,
    refresh_ttl: Duration,
) -> AppResult<TokenPair> {
    let now = Utc::now();
    let refresh_token = opaque::new_secret();
    let refresh_expires_at = now + refresh_ttl;
    match devices::Entity::find_by_id(device_id).one(db).await? {
        Some(device) if device.user_id != user_id => {
            return Err(AppError::forbidden(
                "this device id belongs to another account",
            ));
        }
        Some(device) if device.revoked_at.is_some() => {
            return Err(device_revoked());
        }
        Some(device) => {
            let mut row: devices::ActiveModel = device.into();
            row.name = Set(name);
            row.refresh_token_hash = Set(Some(opaque::digest(&refresh_token)));
            row.refresh_expires_at = Set(Some(refresh_expires_at));
            row.last_seen_at = Set(now);
            row.update(db).await?;
        }
        None => {
            devices::ActiveModel {
                id: Set(device_id),
                user_id: Set(user_id),
                name: Set(name),
                refresh_token_hash: Set(Some(opaque::digest(&refresh_token))),
                refresh_expires_at: Set(Some(refresh_expires_at)),
                created_at: Set(now),
                last_seen_at: Set(now),
                revoked_at: Set(None),
                revoke_reason: Set(None),
            }
            .insert(db)
            .await?;
        }
    }
    let access = keys.mint(user_id, device_id, protocol_version, now)?;
    Ok(TokenPair {
        access,
        refresh_token,
        refresh_expires_at,
    })
}

pub fn device_revoked() -> AppError {
    AppError::Refused {
        code: "DEVICE_REVOKED",
        status: axum::http::StatusCode::FORBIDDEN,
        message: "this device was revoked; sign in again to register a new device".into(),
    }
}

/// Why a refresh was refused (the audit reason), and whether it revoked the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefusal {
    UnknownDevice,
    Revoked,
    Expired,
    Invalid,
    /// A spent token came back: the device is now revoked.
    Reuse,
    /// An admin disabled the account.
    Disabled,
}

impl RefreshRefusal {
    pub fn reason(self) -> &'static str {
        match self {
            RefreshRefusal::UnknownDevice => "unknown_device",
            RefreshRefusal::Revoked => "revoked",
            RefreshRefusal::Expired => "expired",
            RefreshRefusal::Invalid => "invalid_refresh_token",
            RefreshRefusal::Reuse => "refresh_reuse",
            RefreshRefusal::Disabled => "account_disabled",
        }
    }

    pub fn into_error(self) -> AppError {
        match self {
            RefreshRefusal::Revoked | RefreshRefusal::Reuse => device_revoked(),
            RefreshRefusal::Disabled => super::admin_users::account_disabled(),
            RefreshRefusal::Expired => {
                AppError::unauthenticated("the refresh token has expired; sign in again")
            }
            RefreshRefusal::UnknownDevice | RefreshRefusal::Invalid => {
                AppError::unauthenticated("unknown device or refresh token")
            }
        }
    }
}

pub enum RefreshOutcome {
    /// The presented token is spent; this is its successor. The caller mints the access token,
    /// since its protocol version depends on the user's current flags.
    Rotated {
        user_id: Uuid,
        refresh_token: String,
        refresh_expires_at: DateTime<Utc>,
    },
    Refused {
        user_id: Option<Uuid>,
        refusal: RefreshRefusal,
    },
}

/// Spends `refresh_token` and makes its successor.
pub async fn refresh(
    db: &DatabaseConnection,
    device_id: Uuid,
    refresh_token: &str,
    refresh_ttl: Duration,
) -> AppResult<RefreshOutcome> {
    let now = Utc::now();
    let presented = opaque::digest(refresh_token);
    let Some(device) = devices::Entity::find_by_id(device_id).one(db).await? else {
        return Ok(RefreshOutcome::Refused {
            user_id: None,
            refusal: RefreshRefusal::UnknownDevice,
        });
    };
    let refused = |refusal| {
        Ok(RefreshOutcome::Refused {
            user_id: Some(device.user_id),
            refusal,
        })
    };
    if device.revoked_at.is_some() {
        return refused(RefreshRefusal::Revoked);
    }
    if super::admin_users::is_disabled(db, device.user_id).await? {
        return refused(RefreshRefusal::Disabled);
    }
    if device.refresh_token_hash.as_deref() != Some(presented.as_str()) {
        let spent = spent_refresh_tokens::Entity::find_by_id(presented.clone())
            .one(db)
            .await?
            .is_some_and(|row| row.device_id == device_id);
        if spent {
            revoke(db, device_id, "refresh_reuse").await?;
            return refused(RefreshRefusal::Reuse);
        }
        return refused(RefreshRefusal::Invalid);
    }
    if device.refresh_expires_at.is_none_or(|at| at <= now) {
        return refused(RefreshRefusal::Expired);
    }

    let next = opaque::new_secret();
    let refresh_expires_at = now + refresh_ttl;
    let txn = crate::db::begin_write(db).await?;
    // Compare-and-swap on the current digest: of two concurrent refreshes with the same token
    // only one wins; the other is a reuse.
    let swapped = devices::Entity::update_many()
        .col_expr(
            devices::Column::RefreshTokenHash,
            Expr::value(opaque::digest(&next)),
        )
        .col_expr(
            devices::Column::RefreshExpiresAt,
            Expr::value(refresh_expires_at),
        )
        .col_expr(devices::Column::LastSeenAt, Expr::value(now))
        .filter(devices::Column::Id.eq(device_id))
        .filter(devices::Column::RefreshTokenHash.eq(presented.clone()))
        .filter(devices::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !swapped {
        txn.rollback().await?;
        revoke(db, device_id, "refresh_reuse").await?;
        return refused(RefreshRefusal::Reuse);
    }
    spent_refresh_tokens::ActiveModel {
        token_hash: Set(presented),
        device_id: Set(device_id),
        spent_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;

    Ok(RefreshOutcome::Rotated {
        user_id: device.user_id,
        refresh_token: next,
        refresh_expires_at,
    })
}

/// Marks the device revoked and kills its refresh token. Idempotent.
pub async fn revoke(db: &impl ConnectionTrait, device_id: Uuid, reason: &str) -> AppResult<()> {
    devices::Entity::update_many()
        .col_expr(devices::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(devices::Column::RevokeReason, Expr::value(reason))
        .col_expr(
            devices::Column::RefreshTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(devices::Column::Id.eq(device_id))
        .filter(devices::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Why a device token was refused at use (the audit reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    Token(TokenRejection),
    UnknownDevice,
    OwnerMismatch,
    Revoked,
    UnknownUser,
    /// An admin disabled the account.
    Disabled,
}

impl TokenRefusal {
    pub fn reason(self) -> &'static str {
        match self {
            TokenRefusal::Token(rejection) => rejection.reason(),
            TokenRefusal::UnknownDevice => "unknown_device",
            TokenRefusal::OwnerMismatch => "device_owner_mismatch",
            TokenRefusal::Revoked => "revoked",
            TokenRefusal::UnknownUser => "unknown_user",
            TokenRefusal::Disabled => "account_disabled",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TokenRefusal::Token(TokenRejection::Expired) => "the access token has expired",
            TokenRefusal::Revoked => "this device was revoked",
            TokenRefusal::Disabled => "this account is disabled",
            _ => "the access token is not valid",
        }
    }
}

/// A verified device token: who, which device, and its protocol version claim.
pub struct Authenticated {
    pub viewer: Viewer,
    pub protocol_version: u8,
}

/// Checks a bearer token fully: signature and claims, then that the device exists, belongs to
/// the token's user and is not revoked.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    token: &str,
) -> AppResult<Result<Authenticated, (TokenRefusal, Option<Uuid>)>> {
    match keys.verify(token) {
        Ok(claims) => authenticate_claims(db, &claims).await,
        Err(rejection) => Ok(Err((TokenRefusal::Token(rejection), None))),
    }
}

/// The second half of `authenticate`, for callers that needed the verified claims first (the
/// socket layer rate-limits by device before touching the database).
pub async fn authenticate_claims(
    db: &impl ConnectionTrait,
    claims: &Claims,
) -> AppResult<Result<Authenticated, (TokenRefusal, Option<Uuid>)>> {
    let found = devices::Entity::find_by_id(claims.did)
        .find_also_related(users::Entity)
        .one(db)
        .await?;
    let refuse = |refusal| Ok(Err((refusal, Some(claims.sub))));
    let (device, user) = match found {
        None => return refuse(TokenRefusal::UnknownDevice),
        Some((device, _)) if device.user_id != claims.sub => {
            return refuse(TokenRefusal::OwnerMismatch);
        }
        Some((device, _)) if device.revoked_at.is_some() => return refuse(TokenRefusal::Revoked),
        Some((_, None)) => return refuse(TokenRefusal::UnknownUser),
        Some((_, Some(user))) if user.disabled_at.is_some() => {
            return refuse(TokenRefusal::Disabled);
        }
        Some((device, Some(user))) => (device, user),
    };
    let now = Utc::now();
    if now - device.last_seen_at > TOUCH_EVERY {
        devices::Entity::update_many()
            .col_expr(devices::Column::LastSeenAt, Expr::value(now))
            .filter(devices::Column::Id.eq(device.id))
            .exec(db)
            .await?;
    }
    Ok(Ok(Authenticated {
        viewer: Viewer {
            user_id: user.id,
            email: user.email,
            role: Role::from_db(&user.role),
            credential: Credential::DeviceToken {
                device_id: device.id,
                expires_at: claims.expires_at(),
            },
        },
        protocol_version: claims.pv,
    }))
}

pub async fn list_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Vec<devices::Model>> {
    Ok(devices::Entity::find()
        .filter(devices::Column::UserId.eq(user_id))
        .order_by_desc(devices::Column::LastSeenAt)
        .all(db)
        .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<devices::Model>> {
    Ok(devices::Entity::find_by_id(id).one(db).await?)
}
