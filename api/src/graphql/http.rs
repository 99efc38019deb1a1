//! `POST /graphql`.
//!
//! The body is parsed here rather than by an extractor so that every failure (not JSON, a
//! batch above the cap, a bad credential) answers a GraphQL-shaped error with a code.

use async_graphql::{BatchRequest, BatchResponse, Request, Response};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;

use super::document_cache::DocumentCache;
use super::{LossySchema, ensure_error_codes};
use crate::auth::audit::{AuthEvent, AuthKind};
use crate::auth::{Viewer, devices, web_sessions};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Router state for the GraphQL routes.
#[derive(Clone)]
pub struct GraphqlState {
    pub app: AppState,
    pub schema: LossySchema,
    /// The schema's parsed documents, which sockets also read to tell an operation's kind.
    pub documents: DocumentCache,
}

pub async fn execute(
    State(GraphqlState { app, schema, .. }): State<GraphqlState>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let wants_graphql_response = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE));
    let content_type = if wants_graphql_response {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    match prepare(&app, &headers, &body).await {
        Ok((batch, viewer)) => {
            let batch = match viewer {
                Some(viewer) => batch.data(viewer),
                None => batch,
            };
            let mut response = schema.execute_batch(batch).await;
            let failed_before_execution = match &mut response {
                BatchResponse::Single(single) => finish(single),
                BatchResponse::Batch(all) => all.iter_mut().all(finish),
            };
            // The GraphQL-over-HTTP media type says a request that never executed is a 400;
            // plain JSON clients expect 200 with `errors`.
            let status = if wants_graphql_response && failed_before_execution {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            let body = serde_json::to_vec(&response).unwrap_or_default();
            (
                status,
                [(CONTENT_TYPE, HeaderValue::from_static(content_type))],
                body,
            )
                .into_response()
        }
        Err(err) => {
            let status = err.status();
            let body = json!({
                "errors": [{
                    "message": err.public_message(),
                    "extensions": { "code": err.code() },
                }]
            });
            (
                status,
                [(CONTENT_TYPE, HeaderValue::from_static(content_type))],
                body.to_string(),
            )
                .into_response()
        }
    }
}

/// Adds missing error codes; true when the request failed before execution (no data).
fn finish(response: &mut Response) -> bool {
    ensure_error_codes(&mut response.errors);
    response.data == async_graphql::Value::Null && !response.errors.is_empty()
}

async fn prepare(
    app: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> AppResult<(BatchRequest, Option<Viewer>)> {
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("application/json") || ct.starts_with("application/graphql+json")
        });
    if !is_json {
        return Err(AppError::BadUserInput {
            field: None,
            message: "send the request as JSON with `Content-Type: application/json`".into(),
        });
    }
    let viewer = authenticate(app, headers).await?;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|err| AppError::BadUserInput {
            field: None,
            message: format!("the body is not valid JSON: {err}"),
        })?;
    let batch = match value {
        serde_json::Value::Array(items) => {
            if items.is_empty() || items.len() > app.config.graphql_max_batch {
                return Err(AppError::BadUserInput {
                    field: None,
                    message: format!(
                        "a batch holds 1 to {} operations; this one has {}",
                        app.config.graphql_max_batch,
                        items.len()
                    ),
                });
            }
            let requests = items
                .into_iter()
                .map(parse_request)
                .collect::<AppResult<Vec<_>>>()?;
            BatchRequest::Batch(requests)
        }
        single => BatchRequest::Single(parse_request(single)?),
    };
    Ok((batch, viewer))
}

fn parse_request(value: serde_json::Value) -> AppResult<Request> {
    // async-graphql defaults a missing `query` to the empty document; a body without one is
    // not a GraphQL request at all (GraphQL over HTTP: 400).
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return Err(AppError::BadUserInput {
            field: None,
            message: "not a GraphQL request: `query` must be a string".into(),
        });
    }
    serde_json::from_value(value).map_err(|err| AppError::BadUserInput {
        field: None,
        message: format!("not a GraphQL request (`query`, `variables`, `operationName`): {err}"),
    })
}

/// A bearer token must be valid when present (401 otherwise); the session cookie counts only
/// from an allowed origin; no credential at all is an anonymous request.
async fn authenticate(app: &AppState, headers: &HeaderMap) -> AppResult<Option<Viewer>> {
    if let Some(authorization) = headers.get(AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| AppError::unauthenticated("use `Authorization: Bearer <token>`"))?;
        return match devices::authenticate(&app.db, &app.tokens, token).await? {
            Ok(authenticated) => Ok(Some(authenticated.viewer)),
            Err((refusal, user_id)) => {
                let mut event = AuthEvent::denied(AuthKind::HttpToken, refusal.reason());
                if let Some(user_id) = user_id {
                    event = event.user(user_id);
                }
                event.record(&app.db).await;
                Err(AppError::unauthenticated(refusal.message()))
            }
        };
    }
    if let Some(cookie) = web_sessions::cookie_value(headers) {
        if !app.origins.allows_cookie_request(headers) {
            return Err(AppError::forbidden(
                "requests with the session cookie must come from an allowed origin",
            ));
        }
        return web_sessions::authenticate(&app.db, &cookie).await;
    }
    Ok(None)
}
