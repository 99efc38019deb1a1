//! Serving the built web app (`dashboard/`): its pages, its hashed assets and GraphiQL.
//!
//! The files are embedded in the binary at build time (`api/build.rs` walks
//! `dashboard/dist`), or read from `--web-dir` / `LOSSY_WEB_DIR` at start-up; either way they
//! are served from memory. docs/web.md says how caching, compression and the
//! Content-Security-Policy work, and why.
//!
//! Read [`assets`] (the table: each file with its type, cache policy, entity tag and gzip),
//! then [`respond`] (the pure decision: which file a path leads to, with which headers), then
//! [`http`] (the axum handler around it).

pub mod assets;
pub mod http;
pub mod respond;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use assets::{Asset, WebAssets};
pub use respond::{CONTENT_SECURITY_POLICY, WebReply, WebRequest, respond};

/// `/`, `/graphiql` and, as the router's fallback, every other path no route claims: client
/// routes of the app, its files, and the JSON 404 for the rest.
pub fn routes<S: Clone + Send + Sync + 'static>(assets: Arc<WebAssets>) -> Router<S> {
    Router::new()
        .route("/", get(http::serve))
        .route("/graphiql", get(http::serve))
        .fallback(http::serve)
        .with_state(assets)
}
