//! Liveness, readiness and the Prometheus exposition.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use lossy_migration::MigratorTrait;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::state::AppState;

/// The process is up and serving.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The database answers, every migration is applied, and the node is not draining.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let draining = state.shutdown.is_draining();
    let database = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let pending = match lossy_migration::Migrator::get_pending_migrations(&state.db).await {
        Ok(pending) => Some(pending.len()),
        Err(_) => None,
    };
    let ready = database && pending == Some(0) && !draining;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "not_ready" },
            "database": database,
            "pendingMigrations": pending,
            "draining": draining,
        })),
    )
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
