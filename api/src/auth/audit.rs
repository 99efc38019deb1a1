//! The audit log of authentication: every login, token, refresh and socket join, accepted or
//! not, with its reason. Also counted in `lossy_auth_outcomes_total`.

use chrono::Utc;
use lossy_entities::auth_events;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use crate::error::AppResult;

/// What was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    Login,
    Logout,
    ExtensionToken,
    Refresh,
    WsJoin,
    HttpToken,
    DeviceRevoked,
    OriginCheck,
    UserCreated,
    UserRoleChanged,
    UserDisabled,
    UserEnabled,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::Login => "login",
            AuthKind::Logout => "logout",
            AuthKind::ExtensionToken => "extension_token",
            AuthKind::Refresh => "refresh",
            AuthKind::WsJoin => "ws_join",
            AuthKind::HttpToken => "http_token",
            AuthKind::DeviceRevoked => "device_revoked",
            AuthKind::OriginCheck => "origin_check",
            AuthKind::UserCreated => "user_created",
            AuthKind::UserRoleChanged => "user_role_changed",
            AuthKind::UserDisabled => "user_disabled",
            AuthKind::UserEnabled => "user_enabled",
        }
    }
}

/// One row of the audit log, built up by the caller.
#[derive(Debug, Clone)]
pub struct AuthEvent {
    pub kind: AuthKind,
    pub accepted: bool,
    pub reason: &'static str,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<serde_json::Value>,
}

impl AuthEvent {
    pub fn accepted(kind: AuthKind) -> Self {
        Self::new(kind, true, "ok")
    }

    pub fn denied(kind: AuthKind, reason: &'static str) -> Self {
        Self::new(kind, false, reason)
    }

    fn new(kind: AuthKind, accepted: bool, reason: &'static str) -> Self {
        AuthEvent {
            kind,
            accepted,
            reason,
            user_id: None,
            device_id: None,
            email: None,
            ip: None,
            detail: None,
        }
    }

    pub fn user(mut self, user_id: Uuid) -> Self {
        self.user_id = Some(user_id);
        self
    }

    pub fn device(mut self, device_id: Uuid) -> Self {
        self.device_id = Some(device_id);
        self
    }

    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    pub fn ip(mut self, ip: Option<std::net::IpAddr>) -> Self {
        self.ip = ip.map(|ip| ip.to_string());
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Writes the row and counts the outcome. A failed write is logged and swallowed: the
    /// request it describes has already been decided, and refusing it now would not make the
    /// log any more complete.
    pub async fn record(self, db: &impl ConnectionTrait) {
        let outcome = if self.accepted { "success" } else { "denied" };
        metrics::counter!(
            "lossy_auth_outcomes_total",
            "kind" => self.kind.as_str(),
            "outcome" => outcome,
            "reason" => self.reason,
        )
        .increment(1);
        if !self.accepted {
            tracing::info!(kind = self.kind.as_str(), reason = self.reason, user_id = ?self.user_id, device_id = ?self.device_id, "auth denied");
        }
        let row = auth_events::ActiveModel {
            id: Set(Uuid::new_v4()),
            occurred_at: Set(Utc::now()),
            kind: Set(self.kind.as_str().to_owned()),
            outcome: Set(outcome.to_owned()),
            reason: Set(self.reason.to_owned()),
            user_id: Set(self.user_id),
            device_id: Set(self.device_id),
            email: Set(self.email),
            ip: Set(self.ip),
            detail: Set(self.detail),
        };
        if let Err(err) = row.insert(db).await {
            tracing::error!(error = ?err, kind = self.kind.as_str(), "could not write the audit log");
        }
    }
}

/// True once an attempt of `kind` has ever been accepted (the log is never pruned of them).
pub async fn any_accepted(db: &impl ConnectionTrait, kind: AuthKind) -> AppResult<bool> {
    let found = auth_events::Entity::find()
        .select_only()
        .column(auth_events::Column::Id)
        .filter(auth_events::Column::Kind.eq(kind.as_str()))
        .filter(auth_events::Column::Outcome.eq("success"))
        .limit(1)
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}
