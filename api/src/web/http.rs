//! The thin shell: reads the request into a [`WebRequest`], compresses on a blocking thread
//! the first time a file is asked for gzipped, and sends what [`respond`] decided.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{ACCEPT_ENCODING, IF_NONE_MATCH};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};

use super::assets::WebAssets;
use super::respond::{WebReply, WebRequest, pending_gzip, respond};
use crate::error::AppError;

/// `GET` and `HEAD` of the app's paths. Other methods, and the paths that are not the app's,
/// get the API's JSON 404.
pub async fn serve(
    State(assets): State<Arc<WebAssets>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return not_found();
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let request = WebRequest {
        path: uri.path(),
        if_none_match: text(IF_NONE_MATCH),
        accept_encoding: text(ACCEPT_ENCODING),
    };
    if let Some(asset) = pending_gzip(&assets, &request) {
        // Compressing a large script takes a while: not on the runtime's threads. A failed
        // task leaves the gzip to `respond`, which then compresses inline.
        let _ = tokio::task::spawn_blocking(move || {
            asset.gzipped();
        })
        .await;
    }
    match respond(&assets, &request) {
        WebReply::NotFound => not_found(),
        WebReply::Send {
            status,
            headers,
            body,
        } => {
            // HEAD: the same headers, Content-Length included, and no body.
            let body = if method == Method::HEAD {
                Body::empty()
            } else {
                Body::from(body)
            };
            (status, headers, body).into_response()
        }
    }
}

fn not_found() -> Response {
    AppError::not_found("this path").into_response()
}
