//! Dashboard sessions behind the `lossy_session` cookie.

use chrono::{DateTime, Duration, Utc};
use lossy_entities::{users, web_sessions};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::opaque;
use super::{Credential, Role, Viewer};
use crate::error::AppResult;

pub const COOKIE_NAME: &str = "lossy_session";

/// `last_seen_at` is refreshed at most this often, so reads do not turn into writes.
const TOUCH_EVERY: Duration = Duration::minutes(1);

pub struct NewWebSession {
    pub cookie_value: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ttl: Duration,
    user_agent: Option<String>,
    ip: Option<String>,
) -> AppResult<NewWebSession> {
    let cookie_value = opaque::new_secret();
    let now = Utc::now();
    let expires_at = now + ttl;
    web_sessions::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(opaque::digest(&cookie_value)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_seen_at: Set(now),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(512).collect())),
        ip: Set(ip),
    }
    .insert(db)
    .await?;
    Ok(NewWebSession {
        cookie_value,
        expires_at,
    })
}

/// The viewer behind a cookie value, when the session exists and has not expired.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    cookie_value: &str,
) -> AppResult<Option<Viewer>> {
    let now = Utc::now();
    let found = web_sessions::Entity::find()
        .filter(web_sessions::Column::TokenHash.eq(opaque::digest(cookie_value)))
        .find_also_related(users::Entity)
        .one(db)
        .await?;
    let Some((session, Some(user))) = found else {
        return Ok(None);
    };
    // A disabled account's sessions are deleted when it is disabled; this covers a request
    // that read its session just before.
    if session.expires_at <= now || user.disabled_at.is_some() {
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        let id = session.id;
        let mut touched: web_sessions::ActiveModel = session.into();
        touched.last_seen_at = Set(now);
        touched.update(db).await?;
        return Ok(Some(viewer(user, id)));
    }
    Ok(Some(viewer(user, session.id)))
}

fn viewer(user: users::Model, session_id: Uuid) -> Viewer {
    Viewer {
        user_id: user.id,
        email: user.email,
        role: Role::from_db(&user.role),
        credential: Credential::WebSession { session_id },
    }
}

/// Ends the session; unknown values are fine (logging out twice is not an error).
pub async fn delete(db: &impl ConnectionTrait, cookie_value: &str) -> AppResult<()> {
    web_sessions::Entity::delete_many()
        .filter(web_sessions::Column::TokenHash.eq(opaque::digest(cookie_value)))
        .exec(db)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value for a session: HttpOnly, SameSite=Lax, Secure behind TLS.
pub fn set_cookie(value: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE_NAME}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        max_age.num_seconds().max(0)
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie(secure: bool) -> String {
    set_cookie("", Duration::zero(), secure)
}

/// Reads the session cookie from raw request headers (for the socket upgrade).
pub fn cookie_value(headers: &axum::http::HeaderMap) -> Option<String> {
    axum_extra::extract::CookieJar::from_headers(headers)
        .get(COOKIE_NAME)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}
