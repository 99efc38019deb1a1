//! The authenticated caller of a request or socket.

use async_graphql::Enum;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    /// Roles are stored as text; anything unknown is the least privileged.
    pub fn from_db(value: &str) -> Role {
        match value {
            "admin" => Role::Admin,
            _ => Role::User,
        }
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A device's access token; valid until `expires_at`.
    DeviceToken {
        device_id: Uuid,
        expires_at: DateTime<Utc>,
    },
    /// The dashboard's session cookie.
    WebSession { session_id: Uuid },
}

#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: Uuid,
    pub email: String,
    pub role: Role,
    pub credential: Credential,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn device_id(&self) -> Option<Uuid> {
        match self.credential {
            Credential::DeviceToken { device_id, .. } => Some(device_id),
            Credential::WebSession { .. } => None,
        }
    }

    /// When the credential stops being valid by itself (sockets close then).
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self.credential {
            Credential::DeviceToken { expires_at, .. } => Some(expires_at),
            Credential::WebSession { .. } => None,
        }
    }

    pub fn require_admin(&self) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden("this needs an admin account"))
        }
    }
}
