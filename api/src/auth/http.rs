//! `/api/auth/*`: password login and logout for the dashboard, and the extension's token
//! endpoints (PROTOCOL.md sections 1 and 2).

use axum::extract::{FromRequestParts, State};
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::audit::{AuthEvent, AuthKind};
use super::devices::{self, RefreshOutcome};
use super::origin::OriginPolicy;
use super::users::{self, Email};
use super::{Role, Viewer, password, web_sessions};
use crate::error::{AppError, AppResult};
use crate::handshake;
use crate::http::json::JsonBody;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/extension_token", post(extension_token))
        .route("/api/auth/refresh", post(refresh))
        .route("/api/auth/status", get(status))
}

/// What the handlers know about the request besides its body.
pub struct RequestMeta {
    pub ip: Option<std::net::IpAddr>,
    pub headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestMeta {
            ip: crate::http::client_ip(parts),
            headers: parts.headers.clone(),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBody {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusBody {
    /// Nobody has signed in yet: the sign-in page points at the admin password that the
    /// server printed at its first start. It says nothing about any account.
    first_sign_in: bool,
}

async fn status(State(state): State<AppState>) -> AppResult<Json<StatusBody>> {
    let signed_in_before = super::audit::any_accepted(&state.db, AuthKind::Login).await?;
    Ok(Json(StatusBody {
        first_sign_in: !signed_in_before,
    }))
}

#[derive(Deserialize)]
struct LoginBody {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    JsonBody(body): JsonBody<LoginBody>,
) -> AppResult<Response> {
    let db = &state.db;
    let denied = |reason| {
        AuthEvent::denied(AuthKind::Login, reason)
            .ip(meta.ip)
            .email(body.email.trim())
    };
    if let Some(ip) = meta.ip
        && !state.rate_limits.allow_login_from_address(ip)
    {
        denied("rate_limited").record(db).await;
        return Err(AppError::RateLimited(
            "too many login attempts; wait a minute".into(),
        ));
    }
    let wrong = || AppError::unauthenticated("wrong email or password");
    let Ok(email) = Email::parse(&body.email) else {
        password::verify_against_nothing(&body.password).await;
        denied("unknown_email").record(db).await;
        return Err(wrong());
    };
    let Some(user) = users::find_by_email(db, &email).await? else {
        password::verify_against_nothing(&body.password).await;
        denied("unknown_email").record(db).await;
        return Err(wrong());
    };
    if !password::verify(&body.password, &user.password_hash).await {
        denied("bad_password").user(user.id).record(db).await;
        return Err(wrong());
    }
    if user.disabled_at.is_some() {
        denied("account_disabled").user(user.id).record(db).await;
        return Err(super::admin_users::account_disabled());
    }
    let ttl = Duration::hours(i64::from(state.config.web_session_ttl_hours));
    let user_agent = meta
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let session = web_sessions::create(
        db,
        user.id,
        ttl,
        user_agent,
        meta.ip.map(|ip| ip.to_string()),
    )
    .await?;
    AuthEvent::accepted(AuthKind::Login)
        .user(user.id)
        .email(&user.email)
        .ip(meta.ip)
        .record(db)
        .await;
    let cookie =
        web_sessions::set_cookie(&session.cookie_value, ttl, state.config.secure_cookies());
    let body = UserBody {
        id: user.id,
        email: user.email,
        name: user.name,
        role: Role::from_db(&user.role),
    };
    Ok((
        [(SET_COOKIE, cookie)],
        Json(serde_json::json!({ "user": body })),
    )
        .into_response())
}

async fn logout(State(state): State<AppState>, meta: RequestMeta) -> AppResult<Response> {
    if let Some(value) = web_sessions::cookie_value(&meta.headers) {
        if !state.origins.allows_cookie_request(&meta.headers) {
            return Err(cross_site(&state, &meta, AuthKind::Logout).await);
        }
        let viewer = web_sessions::authenticate(&state.db, &value).await?;
        web_sessions::delete(&state.db, &value).await?;
        if let Some(viewer) = viewer {
            AuthEvent::accepted(AuthKind::Logout)
                .user(viewer.user_id)
                .ip(meta.ip)
                .record(&state.db)
                .await;
        }
    }
    let cookie = web_sessions::removal_cookie(state.config.secure_cookies());
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

async fn cross_site(state: &AppState, meta: &RequestMeta, kind: AuthKind) -> AppError {
    AuthEvent::denied(kind, "origin_not_allowed")
        .ip(meta.ip)
        .detail(serde_json::json!({ "origin": OriginPolicy::origin(&meta.headers) }))
        .record(&state.db)
        .await;
    AppError::forbidden("requests with the session cookie must come from an allowed origin")
}

/// The dashboard user behind the session cookie, with the cross-site rule applied.
async fn cookie_viewer(state: &AppState, meta: &RequestMeta, kind: AuthKind) -> AppResult<Viewer> {
    let Some(value) = web_sessions::cookie_value(&meta.headers) else {
        AuthEvent::denied(kind, "no_session")
            .ip(meta.ip)
            .record(&state.db)
            .await;
        return Err(AppError::unauthenticated("sign in to Lossy first"));
    };
    if !state.origins.allows_cookie_request(&meta.headers) {
        return Err(cross_site(state, meta, kind).await);
    }
    match web_sessions::authenticate(&state.db, &value).await? {
        Some(viewer) => Ok(viewer),
        None => {
            AuthEvent::denied(kind, "session_expired")
                .ip(meta.ip)
                .record(&state.db)
                .await;
            Err(AppError::unauthenticated(
                "the session has expired; sign in again",
            ))
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtensionTokenBody {
    device_id: Uuid,
    device_name: String,
    /// The highest protocol version the extension speaks; 2 when absent.
    requested_version: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenBody {
    token: String,
    expires_at: DateTime<Utc>,
    refresh_token: String,
    refresh_expires_at: DateTime<Utc>,
    protocol_version: u8,
    device_id: Uuid,
}

const DEFAULT_REQUESTED_VERSION: i32 = 2;

async fn extension_token(
    State(state): State<AppState>,
    meta: RequestMeta,
    JsonBody(body): JsonBody<ExtensionTokenBody>,
) -> AppResult<Json<TokenBody>> {
    let kind = AuthKind::ExtensionToken;
    let viewer = cookie_viewer(&state, &meta, kind).await?;
    let name = devices::device_name(&body.device_name)?;
    let requested = body.requested_version.unwrap_or(DEFAULT_REQUESTED_VERSION);
    let version = handshake::active_version_for(&state, viewer.user_id, requested).await?;
    let refresh_ttl = Duration::days(i64::from(state.config.refresh_ttl_days));
    let issued = devices::issue(
        &state.db,
        &state.tokens,
        viewer.user_id,
        body.device_id,
        name,
        version,
        refresh_ttl,
    )
    .await;
    let pair = match issued {
        Ok(pair) => pair,
        Err(err) => {
            let reason = match &err {
                AppError::Forbidden(_) => "device_owner_mismatch",
                AppError::Refused { .. } => "revoked",
                _ => "error",
            };
            AuthEvent::denied(kind, reason)
                .user(viewer.user_id)
                .device(body.device_id)
                .ip(meta.ip)
                .record(&state.db)
                .await;
            return Err(err);
        }
    };
    AuthEvent::accepted(kind)
        .user(viewer.user_id)
        .device(body.device_id)
        .ip(meta.ip)
        .record(&state.db)
        .await;
    Ok(Json(TokenBody {
        expires_at: pair.access.claims.expires_at(),
        token: pair.access.token,
        refresh_token: pair.refresh_token,
        refresh_expires_at: pair.refresh_expires_at,
        protocol_version: version,
        device_id: body.device_id,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefreshBody {
    device_id: Uuid,
    refresh_token: String,
    requested_version: Option<i32>,
}

async fn refresh(
    State(state): State<AppState>,
    meta: RequestMeta,
    JsonBody(body): JsonBody<RefreshBody>,
) -> AppResult<Json<TokenBody>> {
    let kind = AuthKind::Refresh;
    let refresh_ttl = Duration::days(i64::from(state.config.refresh_ttl_days));
    let outcome =
        devices::refresh(&state.db, body.device_id, &body.refresh_token, refresh_ttl).await?;
    let (user_id, refresh_token, refresh_expires_at) = match outcome {
        RefreshOutcome::Rotated {
            user_id,
            refresh_token,
            refresh_expires_at,
        } => (user_id, refresh_token, refresh_expires_at),
        RefreshOutcome::Refused { user_id, refusal } => {
            let mut event = AuthEvent::denied(kind, refusal.reason())
                .device(body.device_id)
                .ip(meta.ip);
            if let Some(user_id) = user_id {
                event = event.user(user_id);
            }
            event.record(&state.db).await;
            if refusal == devices::RefreshRefusal::Reuse {
                state.device_revoked(body.device_id);
            }
            return Err(refusal.into_error());
        }
    };
    let requested = body.requested_version.unwrap_or(DEFAULT_REQUESTED_VERSION);
    let version = handshake::active_version_for(&state, user_id, requested).await?;
    let access = state
        .tokens
        .mint(user_id, body.device_id, version, Utc::now())?;
    AuthEvent::accepted(kind)
        .user(user_id)
        .device(body.device_id)
        .ip(meta.ip)
        .record(&state.db)
        .await;
    Ok(Json(TokenBody {
        expires_at: access.claims.expires_at(),
        token: access.token,
        refresh_token,
        refresh_expires_at,
        protocol_version: version,
        device_id: body.device_id,
    }))
}
