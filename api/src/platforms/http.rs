//! `GET /api/platform_adapters.json`: the manifest, for the extension's build and for clients
//! that refresh their rules at run time.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::manifest;

/// The same bytes as `lossy adapters export`, with the manifest version as the entity tag so
/// a client can revalidate cheaply.
pub async fn manifest(headers: HeaderMap) -> Response {
    let body = manifest::exported();
    let etag = format!("\"{}\"", manifest::version());
    if headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    (
        [
            (CONTENT_TYPE, "application/json".to_owned()),
            (CACHE_CONTROL, "no-cache".to_owned()),
            (ETAG, etag),
        ],
        body,
    )
        .into_response()
}
